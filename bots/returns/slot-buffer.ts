import type { FlowContext, Reply } from '../flow.js';

/**
 * The flow's slots as they stand during this turn. Writes are buffered and recorded once at the
 * end, because Reply.set compares with the state at the start of the turn: setting a slot and
 * clearing it again in one turn would otherwise leave the first value in the log.
 */
export class SlotBuffer {
  private readonly changes = new Map<string, string | null>();

  constructor(private readonly ctx: FlowContext) {}

  get(name: string): string | null {
    return this.changes.has(name) ? (this.changes.get(name) ?? null) : (this.ctx.state.slots[name] ?? null);
  }

  /** A slot that must be one of `allowed`; anything else (stale, from an older version) reads as unset. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | null {
    const value = this.get(name);
    return allowed.find((a) => a === value) ?? null;
  }

  set(name: string, value: string | null): this {
    this.changes.set(name, value);
    return this;
  }

  clear(names: readonly string[]): this {
    for (const name of names) this.changes.set(name, null);
    return this;
  }

  /** Records every change as a slot_set event (only those that differ from the stored state). */
  flush(reply: Reply): void {
    for (const [name, value] of this.changes) reply.set(name, value);
    this.changes.clear();
  }
}
