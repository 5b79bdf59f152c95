import { z } from 'zod';
import { POLICY_DECISION_SLOT, PolicyDecisionSchema } from '../../core/policy-decision.js';
import { flowState, Text } from '../flow-state.js';
import { GATE_FIELDS } from '../identity-gate.js';
import { TriedStepsSchema, TRIED_SLOT } from './tried-steps.js';

/** The troubleshooting flow's values, by name. */
export const WALK_SLOTS = {
  tree: 'troubleshooting_tree',
  family: 'troubleshooting_family',
  sku: 'troubleshooting_sku',
  device: 'troubleshooting_device',
  /** The node the walk was at when the customer asked to verify, to carry on there if they don't. */
  resumeAt: 'troubleshooting_resume_at',
  /** The message that started the walk: after verification it still answers the first question ("keeps cutting out"). */
  told: 'troubleshooting_told',
  /** The intent that started the walk, kept while asking which device it is. */
  intent: 'troubleshooting_intent',
  /** The node an answer could not be read at, and how often (asked again once, then a person). */
  misses: 'troubleshooting_misses',
} as const;

/** Releases before typed frames stored misses as "node:count" text. */
const Misses = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const [node, count] = v.split(':');
  return { node, count: Number.parseInt(count ?? '0', 10) || 0 };
}, z.object({ node: z.string(), count: z.number().int().min(0) }));

/** The troubleshooting walk's own state: the gate's fields, the tree and device, what was tried. */
export const WalkState = flowState({
  ...GATE_FIELDS,
  [WALK_SLOTS.tree]: Text,
  [WALK_SLOTS.family]: Text,
  [WALK_SLOTS.sku]: Text,
  [WALK_SLOTS.device]: Text,
  [WALK_SLOTS.resumeAt]: Text,
  [WALK_SLOTS.told]: Text,
  [WALK_SLOTS.intent]: Text,
  [WALK_SLOTS.misses]: Misses,
  [TRIED_SLOT]: TriedStepsSchema,
  [POLICY_DECISION_SLOT]: PolicyDecisionSchema,
  case_id: Text,
});
