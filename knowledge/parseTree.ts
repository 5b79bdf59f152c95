import { parseSafeYaml } from '../core/yaml.js';
import { TroubleshootingTreeSchema, type TreeNode, type TroubleshootingTree } from './treeSchema.js';
import { problemsFromZod, type ContentProblem } from './knowledgeError.js';
import type { ParseResult } from './parseArticle.js';

/** The shipped trees are a few kilobytes each. */
export const MAX_TREE_BYTES = 256 * 1024;

/**
 * Parses and checks one decision tree: the schema, then the graph. `articleIds` are the ids
 * a step or terminal may link to.
 */
export function parseTree(text: string, file: string, articleIds: ReadonlySet<string>): ParseResult<TroubleshootingTree> {
  const yaml = parseSafeYaml(text, { maxBytes: MAX_TREE_BYTES });
  if (!yaml.ok) return { ok: false, problems: yaml.problems.map((p) => ({ file, field: '(root)', message: `line ${p.line}: invalid YAML: ${p.message}` })) };
  const result = TroubleshootingTreeSchema.safeParse(yaml.value);
  if (!result.success) return { ok: false, problems: problemsFromZod(file, result.error.issues) };
  const problems = checkTreeGraph(result.data, file, articleIds);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: result.data };
}

/** The nodes a node can lead to, with the field that names each (for error paths). */
export function edgesOf(id: string, node: TreeNode): Array<{ field: string; next: string }> {
  switch (node.kind) {
    case 'question':
      return node.options.map((option, i) => ({ field: `nodes.${id}.options[${i}].next`, next: option.next }));
    case 'step':
      return [{ field: `nodes.${id}.next`, next: node.next }];
    case 'resolved':
    case 'offer_repair':
    case 'handoff':
      return [];
    default:
      return assertNever(node);
  }
}

/**
 * Graph rules: the entry exists, every `next` exists, every node is reachable from the entry,
 * every article link exists, and from every node some terminal can be reached. The last rule
 * forbids loops a customer who keeps answering "no" could never leave; a step's "yes" does not
 * count as a way out because it is the customer's answer, not the tree's.
 */
export function checkTreeGraph(tree: TroubleshootingTree, file: string, articleIds: ReadonlySet<string>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const ids = Object.keys(tree.nodes);
  const has = (id: string): boolean => Object.hasOwn(tree.nodes, id);
  if (!has(tree.entry)) problems.push({ file, field: 'entry', message: `unknown node "${tree.entry}"` });

  const edges = new Map<string, string[]>();
  for (const id of ids) {
    const node = tree.nodes[id] as TreeNode;
    const targets: string[] = [];
    for (const edge of edgesOf(id, node)) {
      if (has(edge.next)) targets.push(edge.next);
      else problems.push({ file, field: edge.field, message: `unknown node "${edge.next}"` });
    }
    edges.set(id, targets);
    if (node.kind !== 'question' && node.article !== undefined && !articleIds.has(node.article)) {
      problems.push({ file, field: `nodes.${id}.article`, message: `unknown article "${node.article}"` });
    }
  }
  if (problems.length > 0) return problems;

  const reachable = new Set<string>();
  const stack = [tree.entry];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  for (const id of ids) {
    if (!reachable.has(id)) problems.push({ file, field: `nodes.${id}`, message: `unreachable from entry "${tree.entry}"` });
  }

  // Fixed point: a node can finish when it is terminal or one of its successors can.
  const canFinish = new Set(ids.filter((id) => edges.get(id)?.length === 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (!canFinish.has(id) && (edges.get(id) ?? []).some((next) => canFinish.has(next))) {
        canFinish.add(id);
        changed = true;
      }
    }
  }
  for (const id of ids) {
    if (reachable.has(id) && !canFinish.has(id)) {
      problems.push({ file, field: `nodes.${id}`, message: 'part of a cycle with no way out to a resolved, offer_repair or handoff node' });
    }
  }
  return problems;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected node: ${JSON.stringify(value)}`);
}
