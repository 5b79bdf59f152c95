import { z } from 'zod';
import { SwitchboardError, detailsFromZodIssues } from '../../core/errors.js';
import { FeatureSpace, HASH_BITS } from './features.js';
import type { ClassifierParts } from './model.js';

/**
 * The cached form of a trained classifier. Typed arrays travel as base64 of their little-endian
 * bytes: a CLINC150-sized model is tens of MB as numbers in JSON but a few MB this way.
 */
export const SERIALIZED_VERSION = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const SerializedClassifierSchema = z.object({
  kind: z.literal('switchboard-intent-classifier'),
  version: z.literal(SERIALIZED_VERSION),
  labels: z.array(z.string().min(1)).min(1),
  buckets: base64,
  idf: base64,
  isWord: base64,
  rowStart: base64,
  column: base64,
  weight: base64,
  policy: z.object({
    temperature: z.number().positive(),
    minConfidence: z.number().min(0).max(1),
    minMargin: z.number().min(0).max(1),
  }),
});
export type SerializedClassifier = z.infer<typeof SerializedClassifierSchema>;

function encode(array: Int32Array | Float32Array | Uint16Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function decodeBytes(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function fail(message: string, path: string): never {
  throw new SwitchboardError('SB_ERR_INTENTS', `Invalid serialized intent classifier: ${message}`, [{ path, message }]);
}

function decodeArray<T extends Int32Array | Float32Array>(text: string, make: (b: ArrayBuffer) => T, count: number, path: string): T {
  const bytes = decodeBytes(text);
  if (bytes.byteLength !== count * 4) fail(`expected ${count} values, found ${bytes.byteLength / 4}`, path);
  return make(bytes.buffer as ArrayBuffer);
}

export function serializeParts(parts: ClassifierParts): SerializedClassifier {
  return {
    kind: 'switchboard-intent-classifier',
    version: SERIALIZED_VERSION,
    labels: [...parts.labels],
    buckets: encode(parts.space.buckets),
    idf: encode(parts.space.idf),
    isWord: encode(parts.space.isWord),
    rowStart: encode(parts.linear.rowStart),
    column: encode(parts.linear.column),
    weight: encode(parts.linear.weight),
    policy: { ...parts.policy },
  };
}

/** Validates a cached classifier; every inconsistency throws SB_ERR_INTENTS naming the field. */
export function deserializeParts(json: unknown): ClassifierParts {
  const parsed = SerializedClassifierSchema.safeParse(json);
  if (!parsed.success) {
    throw new SwitchboardError(
      'SB_ERR_INTENTS',
      'Invalid serialized intent classifier: it does not match the expected format',
      detailsFromZodIssues(parsed.error.issues),
    );
  }
  const data = parsed.data;
  const classes = data.labels.length;
  if (new Set(data.labels).size !== classes) fail('labels must be unique', 'labels');
  const isWord = decodeBytes(data.isWord);
  const features = isWord.length;
  const buckets = decodeArray(data.buckets, (b) => new Int32Array(b), features, 'buckets');
  const idf = decodeArray(data.idf, (b) => new Float32Array(b), features, 'idf');
  const rowStart = decodeArray(data.rowStart, (b) => new Int32Array(b), features + 1, 'rowStart');
  const entries = rowStart[features]!;
  const columnBytes = decodeBytes(data.column);
  if (columnBytes.byteLength !== entries * 2) fail(`expected ${entries} columns, found ${columnBytes.byteLength / 2}`, 'column');
  const column = new Uint16Array(columnBytes.buffer as ArrayBuffer);
  const weight = decodeArray(data.weight, (b) => new Float32Array(b), entries, 'weight');
  for (let f = 0; f < features; f++) {
    if (rowStart[f]! > rowStart[f + 1]! || rowStart[0] !== 0) fail('rowStart must start at 0 and never decrease', `rowStart[${f}]`);
  }
  for (let e = 0; e < entries; e++) if (column[e]! >= classes) fail(`column ${column[e]} is not one of the ${classes} labels`, `column[${e}]`);
  const seenBucket = new Uint8Array(1 << HASH_BITS);
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i]!;
    if (bucket < 0 || bucket >= 1 << HASH_BITS || seenBucket[bucket] === 1) fail('buckets must be unique and in range', `buckets[${i}]`);
    seenBucket[bucket] = 1;
  }
  for (let e = 0; e < entries; e++) if (!Number.isFinite(weight[e]!)) fail('weights must be finite', `weight[${e}]`);
  return {
    labels: data.labels,
    space: new FeatureSpace(buckets, idf, isWord),
    linear: { classes, features, rowStart, column, weight },
    policy: data.policy,
  };
}
