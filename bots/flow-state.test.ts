import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { ConversationEvent } from '../core/conversation.js';
import { assertDeclaredState } from './declared-state.js';
import { flowState, storedAsJsonText, Text } from './flow-state.js';
import { Reply } from './flow.js';
import { foldEvents, INITIAL_STATE } from './state.js';

const at = '2026-12-01T10:00:00.000Z';
const Pending = z.object({ line1: z.string(), city: z.string() });
const ChangeState = flowState({ order: Text, kind: z.enum(['cancel', 'address']), pending: storedAsJsonText(Pending), tried: z.array(z.string()) });

function frameOf(slots: Record<string, unknown>) {
  const events: ConversationEvent[] = [{ at, type: 'flow_started', flow: 'change' }];
  for (const [name, value] of Object.entries(slots)) events.push({ at, type: 'slot_set', name, value: value as never });
  return foldEvents(events);
}

describe('a flow reads and writes its own typed state', () => {
  test('objects and lists are kept as values, not as JSON inside strings, and read back typed', () => {
    const state = frameOf({});
    const reply = new Reply({ state, now: new Date(at) }, 'change');
    ChangeState.set(reply, 'pending', { line1: '500 Howard St', city: 'San Francisco' });
    ChangeState.set(reply, 'tried', ['power', 'reset']);
    const written = reply.events.filter((e) => e.type === 'slot_set');
    expect(written.map((e) => e.value)).toEqual([{ line1: '500 Howard St', city: 'San Francisco' }, ['power', 'reset']]);
    const after = foldEvents(reply.events, state);
    expect(ChangeState.read(after)).toEqual({ pending: { line1: '500 Howard St', city: 'San Francisco' }, tried: ['power', 'reset'] });
  });

  test('a value that no longer fits its schema reads as absent, so the flow asks again instead of failing every turn', () => {
    const state = frameOf({ order: '100234', kind: 'refund', tried: 'not a list' });
    expect(ChangeState.read(state)).toEqual({ order: '100234' });
    expect(ChangeState.get(state, 'kind')).toBeNull();
  });

  test('a value an earlier release stored as JSON text is still read, so conversations open during an upgrade go on', () => {
    const state = frameOf({ pending: JSON.stringify({ line1: '21 Oak Street', city: 'Austin' }) });
    expect(ChangeState.get(state, 'pending')).toEqual({ line1: '21 Oak Street', city: 'Austin' });
  });

  test('writing a value of the wrong type is refused at once, and nothing is recorded', () => {
    const reply = new Reply({ state: frameOf({}), now: new Date(at) }, 'change');
    expect(() => ChangeState.set(reply, 'kind', 'refund' as 'cancel')).toThrow();
    expect(reply.events).toEqual([]);
  });

  test('the same value again records no event; null removes it', () => {
    const state = frameOf({ tried: ['power'] });
    const reply = new Reply({ state, now: new Date(at) }, 'change');
    ChangeState.set(reply, 'tried', ['power']);
    expect(reply.events).toEqual([]);
    ChangeState.set(reply, 'tried', null);
    expect(ChangeState.read(foldEvents(reply.events, state))).toEqual({});
  });
});

describe('a turn may write only what its flows declare', () => {
  const flows = new Map([['change', { state: ChangeState }]]);
  const engine = new Set(['queued_request']);

  test("a flow's declared fields, the engine's own and what the bot expects next pass", () => {
    const events: ConversationEvent[] = [
      { at, type: 'flow_started', flow: 'change' },
      { at, type: 'slot_set', name: 'order', value: '100234' },
      { at, type: 'slot_set', name: '_expecting', value: 'order_number' },
      { at, type: 'slot_set', name: 'queued_request', value: 'and where is my refund' },
    ];
    expect(() => assertDeclaredState(events, INITIAL_STATE, flows, engine)).not.toThrow();
  });

  test.each([
    ['an undeclared name', [{ at, type: 'flow_started', flow: 'change' }, { at, type: 'slot_set', name: 'order_numbr', value: '100234' }]],
    ['a value written with no flow active', [{ at, type: 'slot_set', name: 'order', value: '100234' }]],
    ['a flow that is not registered', [{ at, type: 'flow_started', flow: 'other' }, { at, type: 'slot_set', name: 'order', value: '100234' }]],
  ] as const)('%s fails the turn', (_, events) => {
    expect(() => assertDeclaredState(events as readonly ConversationEvent[], INITIAL_STATE, flows, engine)).toThrow(/does not declare/);
  });
});
