import { z } from 'zod';
import { storedAsJsonText } from '../flow-state.js';

/** One thing tried in a troubleshooting walk; kept in a slot so agents and a restart see it. */
export const TriedStepSchema = z.object({
  node: z.string(),
  text: z.string(),
  /** For a step: did it fix it. For a question: the option chosen (or the dashboard's answer). */
  outcome: z.enum(['fixed', 'not_fixed', 'answered', 'skipped']),
  answer: z.string().optional(),
});
export type TriedStep = z.infer<typeof TriedStepSchema>;

export const TRIED_SLOT = 'troubleshooting_steps';

/** The steps tried, a list in the frame (releases before typed frames stored it as JSON text). */
export const TriedStepsSchema = storedAsJsonText(z.array(TriedStepSchema));

export function readTried(raw: unknown): TriedStep[] {
  return raw === undefined || raw === null ? [] : (TriedStepsSchema.safeParse(raw).data ?? []);
}

/** The numbered list an agent or the customer reads: "1. Unplug the camera… — didn't help". */
export function describeTried(steps: readonly TriedStep[]): string {
  const label: Record<TriedStep['outcome'], string> = { fixed: 'fixed it', not_fixed: "didn't help", answered: 'answered', skipped: 'skipped' };
  return steps
    .map((s, i) => `${i + 1}. ${s.text}${s.answer !== undefined ? ` → ${s.answer}` : ''} (${label[s.outcome]})`)
    .join('\n');
}
