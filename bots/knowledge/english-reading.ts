import { glossTokens } from '../../intents/classifier/glossary.js';
import { tokenize } from '../../intents/classifier/text.js';

/**
 * A message in another language read with its shop words in English, through the classifier's
 * glossary (intents/classifier/glossary.ts): "Wie lange habe ich Zeit, etwas zurückzugeben?" is
 * "how long habe ich zeit etwas return". The knowledge base is searched with it: its articles
 * are English, so the German words alone find nothing. Numbers are kept as written ("30 Tage"),
 * unlike the classifier's own normalisation, because a passage may quote them.
 */
export function englishReading(text: string): string {
  const folded = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return glossTokens(tokenize(folded)).join(' ');
}
