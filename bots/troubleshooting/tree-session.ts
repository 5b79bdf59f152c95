import type { DeviceDetails } from '../../db/devices.js';
import type { DeviceFamily, TreeNode, TroubleshootingTree } from '../../knowledge/index.js';
import { payloadValue, type FlowContext, type Reply } from '../flow.js';
import { dashboardAnswer } from './dashboard.js';
import { describeTried, readTried, TRIED_SLOT, type TriedStep } from './tried-steps.js';
import { matchOption, nodeOf, walk, type NodeAnswer } from './tree-walker.js';

/** The flow step while a node waits for its answer; each one is a `flow_step` event, so the walk is in the log. */
export const NODE_STEP_PREFIX = 'node:';

/** Where a walk ended, for the flow to finish (close, open a repair case, hand off). */
export type WalkEnd =
  | { kind: 'waiting' }
  | { kind: 'fixed' }
  | { kind: 'terminal'; terminal: 'resolved' | 'offer_repair' | 'handoff'; text: string; article: string | undefined; tried: TriedStep[] };

export interface TreeSessionInput {
  ctx: FlowContext;
  reply: Reply;
  tree: TroubleshootingTree;
  /** The customer's registered device, when verified: its dashboard answers some questions. */
  device: DeviceDetails | null;
  family: DeviceFamily | null;
  articleUrl(articleId: string): string;
  /** Starts the record afresh (a new walk) instead of continuing the one in the conversation's slots. */
  fresh?: boolean;
}

/** Walks a decision tree one customer answer at a time, recording every step tried. */
export class TreeSession {
  private readonly tried: TriedStep[];

  constructor(private readonly input: TreeSessionInput) {
    this.tried = input.fresh === true ? [] : readTried(input.ctx.state.slots[TRIED_SLOT]);
  }

  /** The node the customer is answering, from the flow step. */
  currentNodeId(): string | null {
    const step = this.input.ctx.state.step;
    return step?.startsWith(NODE_STEP_PREFIX) ? step.slice(NODE_STEP_PREFIX.length) : null;
  }

  /** Presents the tree from `nodeId`, letting the dashboard answer what it can first. */
  enter(nodeId: string): WalkEnd {
    const { tree, device, family, reply } = this.input;
    let id = nodeId;
    // Bounded: every dashboard answer moves forward, and the loader rejects loops with no way out.
    for (let hops = 0; hops <= Object.keys(tree.nodes).length; hops++) {
      const node = nodeOf(tree, id);
      if (node === null) break;
      const known = device !== null && family !== null ? dashboardAnswer(id, node, device, family) : null;
      if (known === null) return this.present(id, node);
      const answer: NodeAnswer = known.kind === 'option' ? { kind: 'option', index: known.index } : { kind: 'check', fixed: false };
      const next = walk(tree, id, answer);
      if (next === null || next.kind === 'fixed') return this.present(id, node);
      this.record({ node: id, text: node.text, outcome: known.kind === 'option' ? 'answered' : 'skipped', answer: 'from the device dashboard' });
      reply.say(`${known.because}.`);
      id = next.id;
    }
    throw new Error(`troubleshooting tree ${tree.id}: no node ${id}`);
  }

  /** Applies the customer's answer to the current node; re-asks when it doesn't fit. */
  answer(): WalkEnd {
    const { tree, reply } = this.input;
    const id = this.currentNodeId();
    const node = id === null ? null : nodeOf(tree, id);
    if (id === null || node === null) return this.enter(tree.entry);
    const answer = this.readAnswer(node);
    const next = answer === null ? null : walk(tree, id, answer);
    if (answer === null || next === null) {
      reply.say(node.kind === 'question' ? 'Please pick one of the options below.' : 'Please answer yes or no.');
      return this.present(id, node, false);
    }
    if (answer.kind === 'option' && node.kind === 'question') {
      this.record({ node: id, text: node.text, outcome: 'answered', answer: node.options[answer.index]?.label ?? '' });
    } else {
      this.record({ node: id, text: node.text, outcome: answer.kind === 'check' && answer.fixed ? 'fixed' : 'not_fixed' });
    }
    if (next.kind === 'fixed') return { kind: 'fixed' };
    return this.enter(next.id);
  }

  triedSoFar(): TriedStep[] {
    return [...this.tried];
  }

  describeTried(): string {
    return describeTried(this.tried);
  }

  private readAnswer(node: TreeNode): NodeAnswer | null {
    const { ctx } = this.input;
    if (node.kind === 'question') {
      const picked = payloadValue(ctx, 'ts-opt');
      const index = picked !== null ? Number.parseInt(picked, 10) : matchOption(node.options.map((o) => o.label), ctx.message.text);
      return index === null || Number.isNaN(index) ? null : { kind: 'option', index };
    }
    if (node.kind === 'step') {
      const check = payloadValue(ctx, 'ts-check');
      if (check === 'yes' || (check === null && ctx.nlu.intent === 'affirm')) return { kind: 'check', fixed: true };
      if (check === 'no' || (check === null && ctx.nlu.intent === 'deny')) return { kind: 'check', fixed: false };
    }
    return null;
  }

  private present(id: string, node: TreeNode, record = true): WalkEnd {
    const { reply, tree, articleUrl } = this.input;
    if (record) reply.step(`${NODE_STEP_PREFIX}${id}`);
    switch (node.kind) {
      case 'question':
        reply.choose(node.text, node.options.map((o, i) => ({ label: o.label, value: `ts-opt:${i}` })));
        return { kind: 'waiting' };
      case 'step':
        if (record) {
          reply.send({
            kind: 'card',
            title: `Step ${this.tried.filter((t) => t.outcome !== 'answered').length + 1}: ${tree.title}`,
            text: node.text,
            ...(node.article !== undefined ? { link: { title: 'Step-by-step guide', url: articleUrl(node.article) } } : {}),
          });
        }
        reply.choose(node.check, [
          { label: 'Yes', value: 'ts-check:yes' },
          { label: 'No', value: 'ts-check:no' },
        ]);
        return { kind: 'waiting' };
      case 'resolved':
      case 'offer_repair':
      case 'handoff':
        return { kind: 'terminal', terminal: node.kind, text: node.text, article: node.article, tried: this.triedSoFar() };
      default: {
        const unknown: never = node;
        throw new Error(`unknown tree node ${JSON.stringify(unknown)}`);
      }
    }
  }

  private record(step: TriedStep): void {
    this.tried.push(step);
    this.input.reply.set(TRIED_SLOT, JSON.stringify(this.tried));
  }
}
