import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { IntentFile } from '../schema.js';

/** The YAML form of one intent, keys in the order an editor reads them. */
export function intentToYaml(intent: IntentFile): string {
  const doc: Record<string, unknown> = { name: intent.name, description: intent.description, locale: intent.locale, humanOnly: intent.humanOnly, entities: intent.entities };
  if (intent.flow !== undefined) doc['flow'] = intent.flow;
  if (intent.responses !== undefined) doc['responses'] = intent.responses;
  doc['phrases'] = intent.phrases;
  return stringify(doc, { lineWidth: 0 });
}

/**
 * Writes one `<name>.yaml` per intent. Every file is written to a temporary name first and
 * renamed only once all are written, so a failure leaves the folder as it was.
 */
export async function writeIntentFiles(dir: string, intents: readonly IntentFile[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const written: string[] = [];
  try {
    for (const intent of intents) {
      const target = join(dir, `${intent.name}.yaml`);
      await writeFile(target + suffix, intentToYaml(intent));
      written.push(target);
    }
  } catch (error) {
    await Promise.all(written.map((t) => rm(t + suffix, { force: true })));
    throw error;
  }
  for (const target of written) await rename(target + suffix, target);
  return written;
}
