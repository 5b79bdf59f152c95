import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseSafeYaml } from '../../core/yaml.js';

/** The shipped corpus: every `*.yaml` file in this folder. */
export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * What a customer wanted done, as the corpus names it: the customer's goal, not a flow of today's
 * engine, so the corpus stays true when flows are split or renamed. `FLOWS_FOR_TASK` says which
 * flows count as doing it.
 */
export const TaskSchema = z.enum([
  'order_status',
  'return',
  'exchange',
  'refund_status',
  'order_cancel',
  'address_change',
  'troubleshooting',
  'warranty',
  'payment',
  'account',
  'delivery_problem',
]);
export type Task = z.infer<typeof TaskSchema>;

/** Why a person should take the conversation; `HANDOFF_REASON_PATTERNS` says how the bot's reason is recognised. */
export const HandoffReasonSchema = z.enum([
  'customer_asked',
  'complaint',
  'missing_parcel',
  'troubleshooting_unresolved',
  'repair',
  'order_change_review',
  'human_only_intent',
  'frustration',
  'misunderstood',
]);
export type HandoffReason = z.infer<typeof HandoffReasonSchema>;

const PatternSchema = z
  .string()
  .min(1)
  .refine(
    (source) => {
      try {
        new RegExp(source, 'i');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );
const PatternsSchema = z.union([PatternSchema, z.array(PatternSchema).min(1)]).transform((p) => (typeof p === 'string' ? [p] : p));

/** Where `say` puts the code: as sent, as "132 581", as "132-581". */
export const CODE_PLACEHOLDERS = ['{code}', '{code:spaced}', '{code:dashed}'] as const;

/**
 * One customer message. A string is typed as written. `code` types the newest one-time code sent
 * to that email or phone during this conversation (`say` wraps it: "it's {code}"); if none was
 * sent, the customer says they got no code (`NO_CODE_TEXT`). `press` presses the web-chat button whose label
 * matches (a pattern); a text-only channel has no buttons. `choose` picks the option whose label
 * matches however the channel offers it: the button on web chat, its number on a text-only channel
 * (what an SMS customer types, without the corpus knowing the bot's order of options).
 */
export const TurnSchema = z.union([
  z.string().min(1).max(2000),
  z.strictObject({
    code: z.string().min(3).max(320),
    say: z
      .string()
      .max(2000)
      .refine((s) => CODE_PLACEHOLDERS.some((p) => s.includes(p)), { message: `must contain one of ${CODE_PLACEHOLDERS.join(', ')}` })
      .optional(),
  }),
  z.strictObject({ press: PatternSchema }),
  z.strictObject({ choose: PatternSchema }),
]);
export type CorpusTurn = z.infer<typeof TurnSchema>;

/** What must happen for the conversation to count as a success (see docs/benchmarks.md). */
export const ExpectationSchema = z.union([
  /** A flow doing one of these tasks ended resolved; every `says` pattern matched a reply. */
  z.strictObject({ resolved: z.union([TaskSchema, z.array(TaskSchema).min(1)]).transform((t) => (typeof t === 'string' ? [t] : t)), says: PatternsSchema.optional() }),
  /** The customer called a task off: its flow ended abandoned (nothing booked); every `says` pattern matched a reply. */
  z.strictObject({ stopped: TaskSchema, says: PatternsSchema.optional() }),
  /** The conversation went to a person for one of these reasons. */
  z.strictObject({
    handed_off: z.union([HandoffReasonSchema, z.array(HandoffReasonSchema).min(1)]).transform((r) => (typeof r === 'string' ? [r] : r)),
    says: PatternsSchema.optional(),
  }),
  /** An information question: a reply matched the pattern (the fact the customer asked for). */
  z.strictObject({ answered: PatternSchema }),
  /** Not something the shop does, or gibberish: a reply matched, and no transactional flow started. */
  z.strictObject({ refused: PatternSchema }),
]);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const CorpusConversationSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'must be lower-case letters, digits and dashes'),
    channel: z.enum(['webchat', 'text']),
    /** The locale a channel would report (the widget's language), when it matters. */
    locale: z.string().max(20).optional(),
    /** Why the conversation is in the corpus, when the turns don't say it. */
    note: z.string().max(500).optional(),
    turns: z.array(TurnSchema).min(1).max(30),
    expect: z.union([ExpectationSchema, z.array(ExpectationSchema).min(1)]).transform((e) => (Array.isArray(e) ? e : [e])),
    /** Patterns no reply may match (someone else's data, a wrong promise). */
    never: PatternsSchema.optional(),
  })
  .superRefine((conversation, ctx) => {
    conversation.turns.forEach((turn, i) => {
      if (conversation.channel === 'text' && typeof turn === 'object' && 'press' in turn) {
        ctx.addIssue({ code: 'custom', path: ['turns', i, 'press'], message: 'a text-only channel has no buttons: type the number or the label' });
      }
    });
  });
export type CorpusConversation = z.infer<typeof CorpusConversationSchema>;

const CorpusFileSchema = z.strictObject({ conversations: z.array(z.unknown()).min(1) });

/** A corpus that cannot be used, with every problem named by file, conversation and field. */
export class CorpusError extends Error {
  constructor(readonly problems: string[]) {
    super(`the conversation corpus is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'CorpusError';
  }
}

/** Reads one YAML file's conversations, or the problems found in it. */
export function parseCorpusFile(file: string, text: string): { conversations: CorpusConversation[]; problems: string[] } {
  const yaml = parseSafeYaml(text);
  if (!yaml.ok) return { conversations: [], problems: yaml.problems.map((p) => `${file}:${p.line}: ${p.message}`) };
  const top = CorpusFileSchema.safeParse(yaml.value);
  if (!top.success) return { conversations: [], problems: top.error.issues.map((i) => `${file}: ${i.path.join('.') || 'the file'} ${i.message}`) };
  const conversations: CorpusConversation[] = [];
  const problems: string[] = [];
  top.data.conversations.forEach((raw, index) => {
    const parsed = CorpusConversationSchema.safeParse(raw);
    if (parsed.success) {
      conversations.push(parsed.data);
      return;
    }
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : `#${index + 1}`;
    for (const issue of parsed.error.issues) problems.push(`${file}: conversation ${id}: ${issue.path.join('.') || 'the conversation'}: ${issue.message}`);
  });
  return { conversations, problems };
}

/** Loads a corpus file, or every `*.yaml` file of a folder in name order. Throws a CorpusError naming each problem. */
export async function loadCorpus(location: string = CORPUS_DIR): Promise<CorpusConversation[]> {
  const files = (await stat(location)).isDirectory()
    ? (await readdir(location)).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(location, f))
    : [location];
  const conversations: CorpusConversation[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const parsed = parseCorpusFile(path.basename(file), await readFile(file, 'utf8'));
    conversations.push(...parsed.conversations);
    problems.push(...parsed.problems);
  }
  const seen = new Set<string>();
  for (const c of conversations) {
    if (seen.has(c.id)) problems.push(`conversation ${c.id}: id is used twice`);
    seen.add(c.id);
  }
  if (conversations.length === 0 && problems.length === 0) problems.push(`${location}: no conversations`);
  if (problems.length > 0) throw new CorpusError(problems);
  return conversations;
}
