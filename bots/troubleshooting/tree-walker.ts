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

/** An option as a typed answer can name it: its label, and the other ways customers say it. */
export type OptionWords = string | { label: string; synonyms?: readonly string[] | undefined };

const phrasesOf = (option: OptionWords): string[] =>
  (typeof option === 'string' ? [option] : [option.label, ...(option.synonyms ?? [])]).map(normalise).filter((p) => p !== '');

/** `part` appears in `whole` as whole words: "off" is in "the light is off", not in "offline". */
const hasWords = (whole: string, part: string): boolean => ` ${whole} `.includes(` ${part} `);

/**
 * The option a typed answer names ("blinking red" for "Blinking red", "its off" for "It's off",
 * "the light is off" for an option with the synonym "off"), or null when it names none or
 * several equally well. `volunteered` reads a message written before the question was asked
 * (the first message): only a whole label or synonym in it counts, never a bare yes or no;
 * `exact` counts only a message that is a label or synonym and nothing more.
 */
export function matchOption(options: readonly OptionWords[], typed: string, read: 'answer' | 'volunteered' | 'exact' = 'answer'): number | null {
  const volunteered = read === 'volunteered';
  const said = normalise(typed);
  if (said === '') return null;
  const scored = options.map((option, index) => {
    const phrases = phrasesOf(option).filter((p) => !volunteered || !/^(yes|no)$/.test(p));
    if (phrases.includes(said)) return { index, score: Number.MAX_SAFE_INTEGER };
    const named = phrases.filter((p) => hasWords(said, p)).map((p) => p.length);
    const within = !volunteered && phrases.some((p) => hasWords(p, said)) ? said.length : 0;
    return { index, score: Math.max(0, within, ...named) };
  });
  const best = Math.max(...scored.map((s) => s.score));
  if (best === 0 || (read === 'exact' && best !== Number.MAX_SAFE_INTEGER)) return null;
  const top = scored.filter((s) => s.score === best);
  return top.length === 1 ? top[0]!.index : null;
}
