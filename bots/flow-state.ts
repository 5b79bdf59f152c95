import { z } from 'zod';
import type { SlotValue, Slots } from '../core/conversation.js';

/** One field of a flow's state: any zod schema whose value is JSON (a string, a number, an object, a list). */
export type StateField = z.ZodType<SlotValue>;
export type StateShape = Readonly<Record<string, StateField>>;

/** The frame's values as the flow's schema reads them: every field may be absent. */
export type StateOf<S extends StateShape> = { readonly [K in keyof S]?: z.infer<S[K]> };

/** What a flow writes its state through: a Reply (bots/flow.ts) records each change as an event. */
export interface StateWriter {
  set(name: string, value: SlotValue | null): unknown;
}

/**
 * A flow's own state, declared as a zod shape: the flow reads its frame through it and writes
 * values of the declared types only. The frame itself is plain JSON in the event log; reading
 * parses each field on its own, so a value an older release wrote that no longer fits reads as
 * absent (the flow asks again) instead of failing every turn of that conversation.
 */
export class FlowState<S extends StateShape> {
  constructor(readonly shape: S) {}

  /** The active frame's values, each parsed by its field's schema. */
  read(frame: { slots: Slots }): StateOf<S> {
    const values: Partial<Record<keyof S, unknown>> = {};
    for (const key of Object.keys(this.shape) as (keyof S & string)[]) {
      const value = this.get(frame, key);
      if (value !== null) values[key] = value;
    }
    return values as StateOf<S>;
  }

  /** One value, or null when it is absent or does not fit its schema. */
  get<K extends keyof S & string>(frame: { slots: Slots }, key: K): z.infer<S[K]> | null {
    const raw = frame.slots[key];
    if (raw === undefined || raw === null) return null;
    const parsed = (this.shape[key] as S[K]).safeParse(raw);
    return parsed.success ? (parsed.data as z.infer<S[K]>) : null;
  }

  /** Records a new value (null removes it); a value that does not fit the schema is a bug, so it throws. */
  set<K extends keyof S & string, W extends StateWriter>(writer: W, key: K, value: z.infer<S[K]> | null): W {
    writer.set(key, value === null ? null : (this.shape[key] as S[K]).parse(value));
    return writer;
  }
}

/** Declares a flow's state: `const State = flowState({ order: OrderNumber, challenge: ChallengeSchema })`. */
export function flowState<S extends StateShape>(shape: S): FlowState<S> {
  return new FlowState(shape);
}

/**
 * A field that releases before typed frames stored as JSON inside a string: such a value in a
 * conversation that was open during the upgrade is read as the object it holds.
 */
export function storedAsJsonText<T extends StateField>(schema: T): z.ZodType<z.infer<T>> {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema) as unknown as z.ZodType<z.infer<T>>;
}

/** Text fields, the common case. */
export const Text = z.string();
