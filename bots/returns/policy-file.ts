import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { parseSafeYaml } from '../../core/yaml.js';

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD, e.g. 11-15');

export const RETURN_REASONS = ['changed_mind', 'not_as_expected', 'wrong_item', 'faulty'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

const CategoryRuleSchema = z.strictObject({
  /** How customers call the category in a sentence ("TVs"). */
  label: z.string().min(1).optional(),
  /** Overrides the product's own return_window_days. */
  windowDays: z.number().int().min(0).max(365).optional(),
  /** Overrides the product's own warranty_months. */
  warrantyMonths: z.number().int().min(0).max(120).optional(),
  returnable: z.boolean().default(true),
  /** Returnable for change of mind only while sealed (software codes, boxed media). */
  sealedOnly: z.boolean().default(false),
  /** Charged on opened items returned for change of mind. */
  restockingFeePercent: z.number().min(0).max(100).default(0),
});

/** The configurable rules the policy engine applies; `policy.yaml` beside this file is the default. */
export const ReturnPolicySchema = z.strictObject({
  categories: z.record(z.string(), CategoryRuleSchema).default({}),
  changeOfMindReasons: z.array(z.enum(RETURN_REASONS)).default(['changed_mind', 'not_as_expected']),
  restockingFeeWaivedOnExchange: z.boolean().default(true),
  holiday: z.strictObject({ deliveredFrom: monthDay, deliveredTo: monthDay, returnBy: monthDay }).nullable().default(null),
  labelValidDays: z.number().int().min(1).max(90).default(14),
  returnAddress: z.array(z.string().min(1)).min(1),
});
export type ReturnPolicy = z.infer<typeof ReturnPolicySchema>;
export type CategoryRule = z.infer<typeof CategoryRuleSchema>;

export const DEFAULT_RETURN_POLICY_FILE = fileURLToPath(new URL('./policy.yaml', import.meta.url));

/** The shipped policy is under 2 KB; a policy file is a page of rules, not data. */
export const MAX_RETURN_POLICY_BYTES = 256 * 1024;

/**
 * Parses policy YAML as plain data (no tags, bounded size and aliases); an invalid file is an
 * SB_ERR_CONFIG naming the file and the line or field.
 */
export function parseReturnPolicy(source: string, file: string): ReturnPolicy {
  const yaml = parseSafeYaml(source, { maxBytes: MAX_RETURN_POLICY_BYTES });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError(
      'SB_ERR_CONFIG',
      `Return policy ${file} is not valid YAML: line ${first.line}: ${first.message}. Fix the file or unset RETURN_POLICY_FILE to use the default.`,
      yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })),
    );
  }
  const parsed = ReturnPolicySchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = detailsFromZodIssues(parsed.error.issues);
    const first = details[0];
    throw new SwitchboardError(
      'SB_ERR_CONFIG',
      `Return policy ${file} is invalid: ${first?.path ?? '(root)'} ${first?.message ?? ''}. Fix the file or unset RETURN_POLICY_FILE to use the default.`,
      details.map((d) => ({ path: `${file}:${d.path}`, message: d.message })),
    );
  }
  return parsed.data;
}

/** Reads the policy from RETURN_POLICY_FILE, or the shipped default when unset. */
export async function loadReturnPolicy(file: string = DEFAULT_RETURN_POLICY_FILE): Promise<ReturnPolicy> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `RETURN_POLICY_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: RETURN_POLICY_FILE=/etc/switchboard/return-policy.yaml`, [
      { path: 'RETURN_POLICY_FILE', message: 'file not readable' },
    ]);
  }
  return parseReturnPolicy(source, file);
}
