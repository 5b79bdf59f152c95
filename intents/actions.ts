import { IntentActionSchema, type IntentAction } from '../core/nlu.js';
import { OOS_LABEL } from './classifier/index.js';
import type { IntentFile } from './schema.js';

/** What the bot needs from each intent, keyed by intent name. The out-of-scope class is not an action. */
export function intentActions(files: readonly IntentFile[]): Map<string, IntentAction> {
  const actions = new Map<string, IntentAction>();
  for (const file of files) {
    if (file.name === OOS_LABEL) continue;
    actions.set(
      file.name,
      IntentActionSchema.parse({
        name: file.name,
        description: file.description,
        ...(file.flow !== undefined ? { flow: file.flow } : {}),
        responses: file.responses ?? [],
        humanOnly: file.humanOnly,
      }),
    );
  }
  return actions;
}
