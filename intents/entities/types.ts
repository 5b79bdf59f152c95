import type { Entity, EntityType } from '../../core/nlu.js';

export interface ExtractOptions {
  /** The entity the bot just asked for: its extractor may accept looser forms. */
  expecting?: EntityType | undefined;
  locale?: string;
}

/** One kind of entity. Returns every candidate; overlaps are resolved by the caller. */
export interface EntityRecognizer {
  readonly type: EntityType;
  find(text: string, options: ExtractOptions): Entity[];
}

export function entity(type: EntityType, value: string, text: string, start: number, end: number, confidence: number): Entity {
  return { type, value, raw: text.slice(start, end), start, end, confidence };
}
