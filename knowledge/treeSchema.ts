import { z } from 'zod';
import { DEVICE_FAMILIES } from './products.js';

const nodeId = z.string().regex(/^[a-z0-9]+([-_][a-z0-9]+)*$/, 'expected a node id such as check-cables');

const QuestionNodeSchema = z.strictObject({
  kind: z.literal('question'),
  text: z.string().min(1),
  options: z
    .array(
      z.strictObject({
        label: z.string().min(1).max(100),
        /** Other ways customers type this answer on a channel without buttons ("off", "no light"). */
        synonyms: z.array(z.string().min(1).max(100)).max(20).optional(),
        next: nodeId,
      }),
    )
    .min(2, 'a question needs at least two options')
    .max(10),
});

/** An instruction followed by the success check: yes ends the tree resolved, no goes to `next`. */
const StepNodeSchema = z.strictObject({
  kind: z.literal('step'),
  text: z.string().min(1),
  article: z.string().optional(),
  check: z.string().min(1).default('Did that fix it?'),
  next: nodeId,
});

/** Where a tree ends: fixed, offer a warranty/repair case, or hand over to an agent with the steps tried. */
const TerminalNodeSchema = z.strictObject({
  kind: z.enum(['resolved', 'offer_repair', 'handoff']),
  text: z.string().min(1),
  article: z.string().optional(),
});

export const TreeNodeSchema = z.discriminatedUnion('kind', [QuestionNodeSchema, StepNodeSchema, TerminalNodeSchema], {
  error: 'expected kind question|step|resolved|offer_repair|handoff',
});
export type TreeNode = z.infer<typeof TreeNodeSchema>;
export type TerminalKind = z.infer<typeof TerminalNodeSchema>['kind'];

export const TreeFamilySchema = z.enum([...DEVICE_FAMILIES, 'any'], {
  error: `expected ${[...DEVICE_FAMILIES, 'any'].join('|')}`,
});

/** A guided troubleshooting decision tree (`knowledge/troubleshooting/*.yaml`). */
export const TroubleshootingTreeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  title: z.string().min(1),
  family: TreeFamilySchema,
  /** Customer phrases that should start this tree; the flow may use them to pick a tree. */
  symptoms: z.array(z.string().min(1)).default([]),
  entry: nodeId,
  nodes: z.record(nodeId, TreeNodeSchema).refine((nodes) => Object.keys(nodes).length > 0, 'expected at least one node'),
});
export type TroubleshootingTree = z.infer<typeof TroubleshootingTreeSchema>;
