import type { DeviceDetails } from '../../db/devices.js';
import type { DeviceFamily, TreeNode, TroubleshootingTree } from '../../knowledge/index.js';
import { payloadValue, type FlowContext, type Reply } from '../flow.js';
import { dashboardAnswer } from './dashboard.js';
import { TROUBLESHOOTING_COPY as COPY } from './copy.js';
import { readFixReport } from './fix-report.js';
import { describeTried, TRIED_SLOT, type TriedStep } from './tried-steps.js';
import { WALK_SLOTS, WalkState } from './walk-state.js';
import { matchOption, nodeOf, walk, type NodeAnswer } from './tree-walker.js';

/** Unreadable answers at the node on screen (`node-id:count`): the second one hands off instead of asking a third time. */
export const MISSES_SLOT = WALK_SLOTS.misses;
const MISSES_BEFORE_HANDOFF = 2;

/** A customer's answer at a node: one of its answers, or "it works now" said at any node. */
type ReadAnswer = NodeAnswer | { kind: 'fixed_report' };

/**
 * What the message answers at `node`, or null: a pressed option or check, an option named in
 * words (label or synonym), a typed fix report ("works now", "still nothing") or a plain yes/no.
 */
export function readNodeAnswer(ctx: FlowContext, node: TreeNode): ReadAnswer | null {
  const text = ctx.message.text;
  if (node.kind === 'question') {
    const picked = payloadValue(ctx, 'ts-opt');
    if (picked !== null) {
      const index = Number.parseInt(picked, 10);
      return Number.isNaN(index) ? null : { kind: 'option', index };
    }
    // "Yes, it works" is an option; "moved it closer and it stopped cutting out" reports a fix, though it names one.
    const exact = matchOption(node.options, text, 'exact');
    if (exact !== null) return { kind: 'option', index: exact };
    if (readFixReport(text) === 'fixed') return { kind: 'fixed_report' };
    const index = matchOption(node.options, text);
    return index === null ? null : { kind: 'option', index };
  }
  if (node.kind === 'step') {
    const check = payloadValue(ctx, 'ts-check');
    if (check === 'yes') return { kind: 'check', fixed: true };
    if (check === 'no') return { kind: 'check', fixed: false };
    const report = readFixReport(text);
    if (report !== null) return { kind: 'check', fixed: report === 'fixed' };
    if (ctx.nlu.intent === 'affirm') return { kind: 'check', fixed: true };
    if (ctx.nlu.intent === 'deny') return { kind: 'check', fixed: false };
  }
  return null;
}

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
    this.tried = input.fresh === true ? [] : WalkState.get(input.ctx.state, TRIED_SLOT) ?? [];
  }

  /** The node the customer is answering, from the flow step. */
  currentNodeId(): string | null {
    const step = this.input.ctx.state.step;
    return step?.startsWith(NODE_STEP_PREFIX) ? step.slice(NODE_STEP_PREFIX.length) : null;
  }

  /**
   * Presents the tree from `nodeId`, letting the dashboard answer what it can first, and the
   * customer's first message (`volunteered`) the first question it already answers
   * ("my tv has sound but no picture" at "What is the TV doing?").
   */
  enter(nodeId: string, volunteered: string | null = null): WalkEnd {
    const { tree, device, family, reply } = this.input;
    let id = nodeId;
    let told = volunteered;
    // Bounded: every dashboard answer moves forward, and the loader rejects loops with no way out.
    for (let hops = 0; hops <= Object.keys(tree.nodes).length; hops++) {
      const node = nodeOf(tree, id);
      if (node === null) break;
      const known = device !== null && family !== null ? dashboardAnswer(id, node, device, family) : null;
      if (known === null && told !== null && node.kind === 'question') {
        const index = matchOption(node.options, told, 'volunteered');
        told = null;
        const next = index === null ? null : walk(tree, id, { kind: 'option', index });
        if (index !== null && next !== null && next.kind === 'node') {
          this.record({ node: id, text: node.text, outcome: 'answered', answer: node.options[index]?.label ?? '' });
          id = next.id;
          continue;
        }
      }
      if (known === null) return this.present(id, node);
      const answer: NodeAnswer = known.kind === 'option' ? { kind: 'option', index: known.index } : { kind: 'check', fixed: false };
      const next = walk(tree, id, answer);
      if (next === null || next.kind === 'fixed') return this.present(id, node);
      this.record({ node: id, text: node.text, outcome: known.kind === 'option' ? 'answered' : 'skipped', answer: 'from the device dashboard' });
      reply.say(known.because);
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
    const answer = readNodeAnswer(this.input.ctx, node);
    if (answer?.kind === 'fixed_report') {
      this.record({ node: id, text: node.text, outcome: 'fixed', answer: this.input.ctx.message.text.slice(0, 200) });
      return { kind: 'fixed' };
    }
    const next = answer === null ? null : walk(tree, id, answer);
    if (answer === null || next === null) return this.missed(id, node);
    reply.set(MISSES_SLOT, null);
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

  /**
   * An answer the bot could not read: asked again once, in words that work without buttons;
   * the second at the same node hands off with the steps tried, so nobody is left stuck.
   */
  private missed(id: string, node: TreeNode): WalkEnd {
    const { ctx, reply } = this.input;
    const before = WalkState.get(ctx.state, MISSES_SLOT);
    const misses = (before?.node === id ? before.count : 0) + 1;
    if (misses >= MISSES_BEFORE_HANDOFF) {
      reply.set(MISSES_SLOT, null);
      return { kind: 'terminal', terminal: 'handoff', text: COPY.notUnderstoodTwice, article: undefined, tried: this.triedSoFar() };
    }
    WalkState.set(reply, MISSES_SLOT, { node: id, count: misses });
    reply.say(node.kind === 'question' ? COPY.pickAnOption(node.options[0]?.label ?? '') : COPY.didItWork);
    return this.present(id, node, false);
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
            title: COPY.stepTitle(this.tried.filter((t) => t.outcome !== 'answered').length + 1, tree.title),
            text: node.text,
            ...(node.article !== undefined ? { link: { title: COPY.stepGuide, url: articleUrl(node.article) } } : {}),
          });
        }
        reply.choose(node.check, [COPY.yes, COPY.no]);
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
    WalkState.set(this.input.reply, TRIED_SLOT, this.tried);
  }
}
