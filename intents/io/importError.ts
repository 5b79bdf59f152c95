import { SwitchboardError, type ErrorDetail } from '../../core/errors.js';
import type { IntentFile } from '../schema.js';
import { validateIntentSources, type IntentSource } from '../validate.js';

export function importError(details: ErrorDetail[]): SwitchboardError {
  const first = details[0]!;
  return new SwitchboardError('SB_ERR_IMPORT', `The import file is invalid; nothing was imported: ${first.path}: ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
}

/** Phrases grouped by intent, in first-seen order, before validation. */
export type PhraseGroups = Map<string, { phrases: string[]; where: string }>;

/**
 * Imported phrases become intent files. Formats that carry only phrases (CSV, Rasa) keep the
 * flow, responses and entities of an existing intent of the same name, so re-importing phrases
 * never unwires the bot. Validation failures are import errors: nothing is written.
 */
export function intentsFromGroups(groups: PhraseGroups, existing: readonly IntentFile[] = [], locale = 'en'): IntentFile[] {
  const byName = new Map(existing.map((i) => [i.name, i]));
  const sources: IntentSource[] = [...groups].map(([name, group]) => {
    const base = byName.get(name);
    const doc = base ? { ...base, phrases: group.phrases } : { name, description: '', locale, phrases: group.phrases, entities: [], humanOnly: false };
    return { file: group.where, doc };
  });
  try {
    return validateIntentSources(sources);
  } catch (error) {
    if (error instanceof SwitchboardError) throw importError(error.details);
    throw error;
  }
}
