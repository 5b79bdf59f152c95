import { reactive, ref } from 'vue';
import type { AgentActivity, AgentSocketFrame, ConsoleSignal } from '../../../core/agent-api.js';

/** How long another agent counts as viewing after their last signal (the console repeats it every VIEWING_EVERY_MS). */
const VIEWING_SHOWN_MS = 30_000;
export const VIEWING_EVERY_MS = 10_000;
/** How long "is typing" shows without a fresh signal; the console sends one at most every TYPING_EVERY_MS while typing. */
const TYPING_SHOWN_MS = 6_000;
const TYPING_EVERY_MS = 2_000;

type ActivityFrame = Extract<AgentSocketFrame, { type: 'activity' }>;

/** Another agent on a conversation, as the indicator shows them. */
export interface Colleague {
  agentId: string;
  name: string;
  activity: AgentActivity;
}

/**
 * Other agents' viewing and typing, per conversation, from the socket's `activity` frames; each
 * fades after a while without a fresh signal. And this console's own signals, throttled.
 */
export function createActivity(send: (signal: ConsoleSignal) => void) {
  // Per conversation, per agent: until when they count as typing and as viewing (ms).
  const seen = reactive(new Map<string, Map<string, { name: string; typingUntil: number; viewingUntil: number }>>());
  // Per conversation: until when the customer counts as typing (ms).
  const customerUntil = reactive(new Map<string, number>());
  const clock = ref(Date.now());
  let lastTyped = { conversationId: '', at: 0 };

  // Ticks the clock (indicators fade) and forgets who left.
  const timer = setInterval(() => {
    clock.value = Date.now();
    for (const [conversationId, agents] of seen) {
      for (const [agentId, c] of agents) if (c.viewingUntil <= clock.value && c.typingUntil <= clock.value) agents.delete(agentId);
      if (agents.size === 0) seen.delete(conversationId);
    }
  }, 1_000);

  return {
    record(frame: ActivityFrame): void {
      const agents = seen.get(frame.conversationId) ?? new Map<string, { name: string; typingUntil: number; viewingUntil: number }>();
      const now = Date.now();
      const previous = agents.get(frame.agentId) ?? { name: frame.agentName, typingUntil: 0, viewingUntil: 0 };
      // Typing is viewing too: once the typing fades they still count as viewing.
      agents.set(frame.agentId, {
        name: frame.agentName,
        typingUntil: frame.activity === 'typing' ? now + TYPING_SHOWN_MS : previous.typingUntil,
        viewingUntil: Math.max(previous.viewingUntil, now + VIEWING_SHOWN_MS),
      });
      seen.set(frame.conversationId, agents);
      clock.value = now;
    },
    /** The customer typing in the widget: "Customer is typing…" until TYPING_SHOWN_MS without a fresh signal or their message. */
    recordCustomer(conversationId: string): void {
      const now = Date.now();
      customerUntil.set(conversationId, now + TYPING_SHOWN_MS);
      clock.value = now;
    },
    customerStopped(conversationId: string): void {
      customerUntil.delete(conversationId);
    },
    customerTyping(conversationId: string): boolean {
      return (customerUntil.get(conversationId) ?? 0) > clock.value;
    },
    /** A message sent ends the typing (the doorbell does not say whose it was, and the next keystroke signals again). */
    stoppedTyping(conversationId: string): void {
      for (const c of seen.get(conversationId)?.values() ?? []) c.typingUntil = 0;
    },
    on(conversationId: string): Colleague[] {
      const now = clock.value;
      return [...(seen.get(conversationId)?.entries() ?? [])]
        .filter(([, c]) => c.viewingUntil > now || c.typingUntil > now)
        .map(([agentId, c]) => ({ agentId, name: c.name, activity: c.typingUntil > now ? 'typing' : 'viewing' }));
    },
    viewing(conversationId: string): void {
      send({ type: 'viewing', conversationId });
    },
    typing(conversationId: string): void {
      const now = Date.now();
      if (lastTyped.conversationId === conversationId && now - lastTyped.at < TYPING_EVERY_MS) return;
      lastTyped = { conversationId, at: now };
      send({ type: 'typing', conversationId });
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
export type ActivityTracker = ReturnType<typeof createActivity>;
