import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors.js';
import type { EntityType } from '../../core/nlu.js';
import { OOS_LABEL } from '../classifier/index.js';
import type { IntentFile } from '../schema.js';
import { validateIntentSources, type IntentSource } from '../validate.js';
import { importError } from './importError.js';
import { SwitchboardError } from '../../core/errors.js';
import { openBoundedZip, ZIP_LIMITS, type ZipLimits } from './boundedZip.js';

/** Our entity types as Dialogflow parameter data types (system entities where one exists). */
const DATA_TYPES: Record<EntityType, string> = {
  order_number: '@order_number',
  email: '@sys.email',
  phone: '@sys.phone-number',
  date: '@sys.date',
  money: '@sys.unit-currency',
  quantity: '@sys.number',
  product: '@product',
  device: '@device',
};

const UserSaysSchema = z.array(z.object({ data: z.array(z.object({ text: z.string() })) }));
const IntentJsonSchema = z.object({
  name: z.string().min(1),
  fallbackIntent: z.boolean().optional(),
  responses: z
    .array(
      z.object({
        action: z.string().optional(),
        parameters: z.array(z.object({ name: z.string(), dataType: z.string().optional() })).optional(),
        messages: z.array(z.object({ type: z.union([z.number(), z.string()]), speech: z.union([z.string(), z.array(z.string())]).optional(), payload: z.unknown().optional() })).optional(),
      }),
    )
    .optional(),
});
const SwitchboardPayload = z.object({ switchboard: z.object({ description: z.string().optional(), humanOnly: z.boolean().optional(), locale: z.string().optional() }) });

/** Dialogflow display names allow spaces and capitals; intent files use snake_case. */
export function intentNameFromDialogflow(displayName: string): string {
  const name = displayName.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(name) ? name : `intent_${name}`;
}

/** Zip-slip: an entry that would land outside the folder it is extracted into. */
export function unsafeEntryName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..') || name.includes('\0');
}

/**
 * Reads a Dialogflow ES agent export. Any unsafe, oversized (zip bomb) or unreadable entry
 * rejects the whole archive, by entry name. Entries are data: JSON read by JSON.parse and
 * validated, never evaluated; `limits` are for tests.
 */
export async function importDialogflowZip(data: Uint8Array, onProgress?: (done: number, total: number) => void, limits: ZipLimits = ZIP_LIMITS): Promise<IntentFile[]> {
  const { zip, readText } = await openBoundedZip(data, limits);
  const entries = Object.values(zip.files);
  // JSZip resolves "../" in names on load and keeps what the archive said in unsafeOriginalName.
  const original = (e: JSZip.JSZipObject): string => e.unsafeOriginalName ?? e.name;
  const unsafe = entries.filter((e) => unsafeEntryName(original(e)));
  const unsafeFiles = unsafe.filter((e) => !e.dir);
  if (unsafe.length > 0) {
    throw importError((unsafeFiles.length > 0 ? unsafeFiles : unsafe).map((e) => ({ path: original(e), message: 'entry path leaves the archive folder (zip-slip); the archive was rejected' })));
  }
  const details: ErrorDetail[] = [];
  const readJson = async (name: string): Promise<unknown> => {
    const text = await readText(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      details.push({ path: name, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  };
  const agent = z.object({ language: z.string().optional() }).safeParse((await readJson('agent.json')) ?? {});
  const language = agent.success ? (agent.data.language ?? 'en') : 'en';
  const intentEntries = entries.filter((e) => !e.dir && /^intents\/[^/]+\.json$/.test(e.name) && !/_usersays_[^/]+\.json$/.test(e.name));
  if (intentEntries.length === 0) throw importError([{ path: 'intents/', message: 'the archive has no intents/*.json; is it a Dialogflow ES agent export?' }]);
  const sources: IntentSource[] = [];
  let done = 0;
  for (const entry of intentEntries) {
    onProgress?.(++done, intentEntries.length);
    const parsed = IntentJsonSchema.safeParse(await readJson(entry.name));
    if (!parsed.success) {
      if (zip.file(entry.name) !== null && !details.some((d) => d.path === entry.name)) {
        details.push({ path: entry.name, message: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
      }
      continue;
    }
    const intent = parsed.data;
    const saysName = entry.name.replace(/\.json$/, `_usersays_${language}.json`);
    const saysRaw = await readJson(saysName);
    const says = UserSaysSchema.safeParse(saysRaw ?? []);
    if (!says.success) {
      details.push({ path: saysName, message: says.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
      continue;
    }
    const phrases = says.data.map((s) => s.data.map((d) => d.text).join('').trim()).filter((p) => p !== '');
    // Dialogflow's default fallback has no phrases; with phrases it is the out-of-scope class.
    if (intent.fallbackIntent === true && phrases.length === 0) continue;
    const response = intent.responses?.[0];
    const payload = response?.messages?.map((m) => SwitchboardPayload.safeParse(m.payload)).find((p) => p.success)?.data?.switchboard;
    const speech = (response?.messages ?? []).filter((m) => String(m.type) === '0').flatMap((m) => (Array.isArray(m.speech) ? m.speech : m.speech !== undefined ? [m.speech] : []));
    const entities = (response?.parameters ?? []).map((p) => Object.entries(DATA_TYPES).find(([, t]) => t === p.dataType)?.[0]).filter((t): t is string => t !== undefined);
    const name = intent.fallbackIntent === true ? OOS_LABEL : intentNameFromDialogflow(intent.name);
    sources.push({
      file: entry.name,
      doc: {
        name,
        description: payload?.description ?? '',
        locale: payload?.locale ?? language,
        phrases,
        entities: [...new Set(entities)],
        ...(response?.action ? { flow: response.action } : {}),
        ...(speech.length > 0 ? { responses: speech } : {}),
        humanOnly: payload?.humanOnly ?? false,
      },
    });
  }
  if (details.length > 0) throw importError(details);
  try {
    return validateIntentSources(sources);
  } catch (error) {
    if (error instanceof SwitchboardError) throw importError(error.details);
    throw error;
  }
}

/** Writes a Dialogflow ES agent export (agent.json, package.json, intents/*.json and *_usersays_<lang>.json). */
export async function exportDialogflowZip(intents: readonly IntentFile[], agentName = 'switchboard'): Promise<Uint8Array> {
  const zip = new JSZip();
  const language = intents[0]?.locale.slice(0, 2) ?? 'en';
  zip.file('package.json', JSON.stringify({ version: '1.0.0' }, null, 2));
  zip.file('agent.json', JSON.stringify({ displayName: agentName, language, supportedLanguages: [], defaultTimezone: 'UTC' }, null, 2));
  for (const intent of intents) {
    const fallback = intent.name === OOS_LABEL;
    const messages: unknown[] = [];
    if (intent.responses && intent.responses.length > 0) messages.push({ type: '0', lang: language, condition: '', speech: intent.responses });
    // Dialogflow has no place for these, so they travel as a custom payload the import reads back.
    messages.push({ type: '4', lang: language, condition: '', payload: { switchboard: { description: intent.description, humanOnly: intent.humanOnly, locale: intent.locale } } });
    const json = {
      id: randomUUID(),
      name: intent.name,
      auto: true,
      contexts: [],
      responses: [
        {
          resetContexts: false,
          action: intent.flow ?? '',
          affectedContexts: [],
          parameters: intent.entities.map((type) => ({ id: randomUUID(), name: type, required: false, dataType: DATA_TYPES[type], value: `$${type}`, isList: false })),
          messages,
          speech: [],
        },
      ],
      priority: 500000,
      webhookUsed: false,
      webhookForSlotFilling: false,
      fallbackIntent: fallback,
      events: [],
    };
    zip.file(`intents/${intent.name}.json`, JSON.stringify(json, null, 2));
    const says = intent.phrases.map((text) => ({ id: randomUUID(), data: [{ text, userDefined: false }], isTemplate: false, count: 0, lang: language, updated: 0 }));
    zip.file(`intents/${intent.name}_usersays_${language}.json`, JSON.stringify(says, null, 2));
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
