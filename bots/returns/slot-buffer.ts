import type { z } from 'zod';
import type { FlowContext, Reply } from '../flow.js';
import type { FlowState, StateShape } from '../flow-state.js';

/**
 * The flow's state as it stands during this turn, read and written through its FlowState.
 * Writes are buffered and recorded once at the end, because Reply.set compares with the state at
 * the start of the turn: setting a value and clearing it again in one turn would otherwise leave
 * the first value in the log.
 */
export class SlotBuffer<S extends StateShape> {
  private readonly changes = new Map<keyof S & string, z.infer<S[keyof S]> | null>();

  constructor(
    private readonly ctx: FlowContext,
    private readonly state: FlowState<S>,
  ) {}

  get<K extends keyof S & string>(name: K): z.infer<S[K]> | null {
    return this.changes.has(name) ? ((this.changes.get(name) ?? null) as z.infer<S[K]> | null) : this.state.get(this.ctx.state, name);
  }

  /** A value that must be one of `allowed`; anything else (stale, from an older version) reads as unset. */
  oneOf<K extends keyof S & string, T extends z.infer<S[K]>>(name: K, allowed: readonly T[]): T | null {
    const value = this.get(name);
    return allowed.find((a) => a === value) ?? null;
  }

  set<K extends keyof S & string>(name: K, value: z.infer<S[K]> | null): this {
    this.changes.set(name, value);
    return this;
  }

  clear(names: readonly (keyof S & string)[]): this {
    for (const name of names) this.changes.set(name, null);
    return this;
  }

  /** Records every change as a slot_set event (only those that differ from the stored state). */
  flush(reply: Reply): void {
    for (const [name, value] of this.changes) this.state.set(reply, name, value as z.infer<S[typeof name]> | null);
    this.changes.clear();
  }
}
