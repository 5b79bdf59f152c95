import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TeamNameSchema } from '../core/agent-api.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { HandoffReasonSchema, IssueCategorySchema, PrioritySchema, ISSUE_CATEGORIES } from '../core/handoff-triage.js';
import { parseSafeYaml } from '../core/yaml.js';
import { BusinessHoursSchema } from './business-hours.js';

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]).transform((v): Array<z.infer<T>> => (Array.isArray(v) ? v : [v]));

/** A skill an agent needs for a conversation (`returns-exceptions`, `de-escalation`). */
const SkillSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, "-" or "_"');

const SlaTargetsSchema = z.strictObject({
  /** Working minutes until a person first answers (the seed target: under 2). */
  firstResponseMinutes: z.number().positive().max(7 * 24 * 60),
  /** Working hours until the conversation is resolved (the seed target: under 24). */
  resolutionHours: z.number().positive().max(90 * 24),
  /** Working minutes until a person answers a customer's message while one holds the conversation. */
  nextResponseMinutes: z.number().positive().max(7 * 24 * 60),
});
export type SlaTargets = z.infer<typeof SlaTargetsSchema>;

/** The next-response target when the policy file names none. */
export const DEFAULT_NEXT_RESPONSE_MINUTES = 10;

const TeamSchema = z.strictObject({
  /** A shared team's conversations wait in every agent's queue (stored unrouted). */
  shared: z.boolean().default(false),
  /** Overrides `defaults.sla`, target by target. */
  sla: SlaTargetsSchema.partial().default({}),
  /** Overrides `defaults.hours`. */
  hours: BusinessHoursSchema.optional(),
});

/** One rule: when a handoff matches `when` (every field given must match), how it waits. First match wins. */
const RuleSchema = z.strictObject({
  when: z
    .strictObject({
      reason: oneOrMany(HandoffReasonSchema).optional(),
      /** The intent of the message that handed off. */
      intent: oneOrMany(z.string().min(1)).optional(),
      /** What the handoff is about (the flow's, or the last flow tried's, category). */
      category: oneOrMany(IssueCategorySchema).optional(),
      /** The verified customer is a VIP (true) or is not, or nobody verified (false). */
      vip: z.boolean().optional(),
    })
    .default({}),
  priority: PrioritySchema,
  /** The category when the flow did not say one. */
  category: IssueCategorySchema.optional(),
  /** Default: `categoryTeams` of the category, else `defaults.team`. */
  team: TeamNameSchema.optional(),
  skills: z.array(SkillSchema).default([]),
});
export type HandoffRule = z.infer<typeof RuleSchema>;

/** The configurable handoff policy; `policy.yaml` beside this file is the default. */
export const HandoffPolicyFileSchema = z
  .strictObject({
    defaults: z.strictObject({
      /** The team of a handoff no rule or category routes. */
      team: TeamNameSchema,
      // A file written before the next-response target existed keeps loading: it gets the default.
      sla: SlaTargetsSchema.extend({ nextResponseMinutes: SlaTargetsSchema.shape.nextResponseMinutes.default(DEFAULT_NEXT_RESPONSE_MINUTES) }).default({
        firstResponseMinutes: 2,
        resolutionHours: 24,
        nextResponseMinutes: DEFAULT_NEXT_RESPONSE_MINUTES,
      }),
      hours: BusinessHoursSchema.default('always'),
    }),
    teams: z.record(TeamNameSchema, TeamSchema),
    /** Which team takes a category when the rule names none. */
    categoryTeams: z.partialRecord(IssueCategorySchema, TeamNameSchema).default({}),
    /** What a handoff is about when its flow did not say: the last flow the bot tried. */
    flowCategories: z.record(z.string(), IssueCategorySchema).default({}),
    vip: z
      .strictObject({
        /** Levels a VIP customer's handoff is raised above its rule's priority (unless the rule matched on `vip`). */
        raisePriority: z.number().int().min(0).max(3).default(1),
        skills: z.array(SkillSchema).default([]),
        /**
         * Messages in a row the bot did not understand before a VIP goes to a person, with reason
         * `vip_customer` (sooner than `triggers.misunderstoodInARow`: a VIP is not kept guessing).
         */
        misunderstoodInARow: z.number().int().min(1).max(10).default(1),
      })
      .default({ raisePriority: 1, skills: [], misunderstoodInARow: 1 }),
    /** When the conversation must go to a person now (`HandoffPolicy.trigger`). */
    triggers: z
      .strictObject({
        /** Intents that mean "let me talk to a person": the reason is customer_asked, not human_only_intent. */
        customerAskedIntents: z.array(z.string().min(1)).default(['human_agent']),
        /** Sentiment score (-1 … 1) at or below which the customer counts as upset. */
        negativeSentimentAtMost: z.number().min(-1).max(0).default(-0.8),
        /** Frustration (0 … 1) at or above which the customer counts as frustrated. */
        frustrationAtLeast: z.number().min(0).max(1).default(0.8),
        /** Messages in a row the bot did not understand before it hands off. */
        misunderstoodInARow: z.number().int().min(1).max(10).default(2),
      })
      .default({ customerAskedIntents: ['human_agent'], negativeSentimentAtMost: -0.8, frustrationAtLeast: 0.8, misunderstoodInARow: 2 }),
    rules: z.array(RuleSchema).min(1),
  })
  .superRefine((policy, ctx) => {
    const known = Object.keys(policy.teams);
    const check = (team: string | undefined, path: Array<string | number>): void => {
      if (team === undefined || known.includes(team)) return;
      ctx.addIssue({ code: 'custom', path, message: `names the team "${team}", which is not under teams: add it there or use one of ${known.join(', ')}` });
    };
    check(policy.defaults.team, ['defaults', 'team']);
    for (const category of ISSUE_CATEGORIES) check(policy.categoryTeams[category], ['categoryTeams', category]);
    policy.rules.forEach((rule, i) => check(rule.team, ['rules', i, 'team']));
  });
export type HandoffPolicyFile = z.infer<typeof HandoffPolicyFileSchema>;

export const DEFAULT_HANDOFF_POLICY_FILE = fileURLToPath(new URL('./policy.yaml', import.meta.url));

/** A policy is a page of rules; anything larger is a mistake. */
const MAX_POLICY_BYTES = 256 * 1024;

/**
 * Parses policy YAML as plain data (core/yaml.ts: no tags, bounded size and aliases); an invalid
 * file is an SB_ERR_CONFIG naming the file, the line or field, and the fix.
 */
export function parseHandoffPolicy(source: string, file: string): HandoffPolicyFile {
  const yaml = parseSafeYaml(source, { maxBytes: MAX_POLICY_BYTES });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError(
      'SB_ERR_CONFIG',
      `Handoff policy ${file} is not valid YAML: line ${first.line}: ${first.message}. Fix the file (docs/agents.md, "The handoff policy") or unset HANDOFF_POLICY_FILE to use the shipped handoff/policy.yaml.`,
      yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })),
    );
  }
  const parsed = HandoffPolicyFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = detailsFromZodIssues(parsed.error.issues);
    const first = details[0];
    throw new SwitchboardError(
      'SB_ERR_CONFIG',
      `Handoff policy ${file} is invalid: ${first?.path || '(root)'} ${first?.message ?? ''}. Fix that field (docs/agents.md, "The handoff policy") or unset HANDOFF_POLICY_FILE to use the shipped handoff/policy.yaml.`,
      details.map((d) => ({ path: `${file}:${d.path}`, message: d.message })),
    );
  }
  return parsed.data;
}

/** Reads and validates the policy file (the shipped one by default): at start-up, before anything is served. */
export async function loadHandoffPolicyFile(file: string = DEFAULT_HANDOFF_POLICY_FILE): Promise<HandoffPolicyFile> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `HANDOFF_POLICY_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: HANDOFF_POLICY_FILE=/etc/switchboard/handoff-policy.yaml`, [
      { path: 'HANDOFF_POLICY_FILE', message: 'file not readable' },
    ]);
  }
  return parseHandoffPolicy(source, file);
}
