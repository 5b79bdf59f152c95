import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ALL_TEAMS_ROLES, TeamNameSchema, type AgentProfile, type CannedResponse, type ConversationDetail, type RenderedCannedResponse } from '../../core/agent-api.js';
import { fillPlaceholders, unfilledPlaceholders, unknownPlaceholders, PLACEHOLDERS, type Placeholder } from '../../core/canned-placeholders.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { parseSafeYaml } from '../../core/yaml.js';

const CannedEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'must be 1–60 lower-case letters, digits or "-"'),
  title: z.string().trim().min(1).max(80),
  shortcut: z.string().regex(/^\/[a-z0-9][a-z0-9_-]{0,29}$/, 'must be "/" and 1–30 lower-case letters, digits, "-" or "_", as in /refund'),
  /** Who sees it; none: every team. */
  teams: z.array(TeamNameSchema).default([]),
  text: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .refine((t) => unknownPlaceholders(t).length === 0, {
      error: (issue) => `names the unknown placeholder {{${unknownPlaceholders(String(issue.input)).join('}}, {{')}}}: use one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
    }),
});

export const CannedResponsesFileSchema = z
  .strictObject({ responses: z.array(CannedEntrySchema).max(500) })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.responses.forEach((r, i) => {
      for (const key of [`id ${r.id}`, `shortcut ${r.shortcut}`]) {
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['responses', i, key.split(' ')[0]!], message: `repeats the ${key} of responses[${first}]: each must be unique` });
        else seen.set(key, i);
      }
    });
  });

export const DEFAULT_CANNED_RESPONSES_FILE = fileURLToPath(new URL('../../handoff/canned-responses.yaml', import.meta.url));

const MAX_FILE_BYTES = 512 * 1024;
const FIX = 'Fix it (docs/agents.md, "Canned responses") or unset CANNED_RESPONSES_FILE to use the shipped handoff/canned-responses.yaml.';

/** Parses the file as plain data; an invalid one is an SB_ERR_CONFIG naming the file and the entry. */
export function parseCannedResponses(source: string, file: string): CannedResponse[] {
  const yaml = parseSafeYaml(source, { maxBytes: MAX_FILE_BYTES });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError('SB_ERR_CONFIG', `Canned responses ${file} is not valid YAML: line ${first.line}: ${first.message}. ${FIX}`, yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })));
  }
  const parsed = CannedResponsesFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = detailsFromZodIssues(parsed.error.issues);
    const first = details[0];
    throw new SwitchboardError('SB_ERR_CONFIG', `Canned responses ${file} is invalid: ${first?.path || '(root)'} ${first?.message ?? ''}. ${FIX}`, details.map((d) => ({ path: `${file}:${d.path}`, message: d.message })));
  }
  return parsed.data.responses;
}

/** Reads and validates the file (the shipped one by default) at start-up, before anything is served. */
export async function loadCannedResponses(file: string = DEFAULT_CANNED_RESPONSES_FILE): Promise<CannedResponses> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `CANNED_RESPONSES_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: CANNED_RESPONSES_FILE=/etc/switchboard/canned-responses.yaml`, [
      { path: 'CANNED_RESPONSES_FILE', message: 'file not readable' },
    ]);
  }
  return new CannedResponses(parseCannedResponses(source, file));
}

/** The first word of a name, without the brackets of "Morgan (supervisor)". */
function firstNameOf(name: string): string | undefined {
  return name.trim().split(/\s+/)[0]?.replace(/[()]/g, '') || undefined;
}

/** The canned responses, per agent, filled in per conversation. */
export class CannedResponses {
  constructor(readonly all: readonly CannedResponse[]) {}

  /** Those of the agent's teams (and every team's); supervisors and admins see all. */
  visibleTo(agent: AgentProfile): CannedResponse[] {
    if (ALL_TEAMS_ROLES.includes(agent.role)) return [...this.all];
    return this.all.filter((r) => r.teams.length === 0 || r.teams.some((t) => agent.teams.includes(t)));
  }

  /**
   * Fills the placeholders for this conversation. Customer and order placeholders come only
   * from the customer this conversation verified (`verifiedCustomer`, null otherwise): a
   * display name or a typed order number proves nothing. The order is the one the customer
   * named, when it is theirs, else their latest.
   */
  renderFor(agent: AgentProfile, detail: ConversationDetail, shopName: string): RenderedCannedResponse[] {
    const values: Partial<Record<Placeholder, string>> = { 'agent.name': agent.name, 'shop.name': shopName };
    const agentFirst = firstNameOf(agent.name);
    if (agentFirst !== undefined) values['agent.firstName'] = agentFirst;
    const customer = detail.verifiedCustomer;
    if (customer !== null) {
      values['customer.name'] = customer.name;
      const first = firstNameOf(customer.name);
      if (first !== undefined) values['customer.firstName'] = first;
      const named = new Set(detail.understanding.flatMap((u) => u.entities.filter((e) => e.type === 'order_number').map((e) => e.value)));
      const order = customer.orders.find((o) => named.has(o.number)) ?? customer.orders[0];
      if (order !== undefined) {
        values['order.number'] = order.number;
        values['order.status'] = order.status.replace(/_/g, ' ');
      }
    }
    return this.visibleTo(agent).map((r) => {
      const text = fillPlaceholders(r.text, values);
      return { ...r, text, unfilled: unfilledPlaceholders(text) };
    });
  }
}
