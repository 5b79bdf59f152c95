import type { TreeNode, TroubleshootingTree } from '../../knowledge/index.js';

/** What the customer answered at a node: an option of a question, or the success check of a step. */
export type NodeAnswer = { kind: 'option'; index: number } | { kind: 'check'; fixed: boolean };

/** Where an answer leads: another node, or the end of the tree because the step fixed it. */
export type WalkResult = { kind: 'node'; id: string; node: TreeNode } | { kind: 'fixed' };

export function nodeOf(tree: TroubleshootingTree, id: string): TreeNode | null {
  return tree.nodes[id] ?? null;
}

/**
 * One move through a decision tree. Returns null when the answer doesn't fit the node
 * (an option index out of range, a yes/no to a question): the flow asks again.
 */
export function walk(tree: TroubleshootingTree, fromId: string, answer: NodeAnswer): WalkResult | null {
  const node = nodeOf(tree, fromId);
  if (node === null) return null;
  let nextId: string;
  if (node.kind === 'question' && answer.kind === 'option') {
    const option = node.options[answer.index];
    if (option === undefined) return null;
    nextId = option.next;
  } else if (node.kind === 'step' && answer.kind === 'check') {
    if (answer.fixed) return { kind: 'fixed' };
    nextId = node.next;
  } else {
    return null;
  }
  const next = nodeOf(tree, nextId);
  return next === null ? null : { kind: 'node', id: nextId, node: next };
}

const normalise = (text: string): string => text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The option a typed answer names ("blinking red" for "Blinking red", "its off" for "It's off"),
 * or null when it names none or several.
 */
export function matchOption(labels: readonly string[], typed: string): number | null {
  const said = normalise(typed);
  if (said === '') return null;
  const exact = labels.findIndex((l) => normalise(l) === said);
  if (exact !== -1) return exact;
  const containing = labels.map((l, i) => [normalise(l), i] as const).filter(([l]) => said.includes(l) || l.includes(said));
  return containing.length === 1 ? containing[0]![1] : null;
}
