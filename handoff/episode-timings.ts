import type { ConversationEvent } from '../core/conversation.js';

export type EpisodeTimedEvent = Extract<ConversationEvent, { type: 'episode_timed' }>;

/**
 * The timings of the episode that `ending` closes, from the log before it: measured from the
 * latest `triaged` (the handoff) to the first agent answer, from the first claim (an agent
 * assigned) to the end, and from the handoff to the end. Null when the log holds no handoff
 * (nothing to time). Pure, so analytics can derive the same numbers from the stored log.
 */
export function episodeTimings(
  log: ReadonlyArray<{ seq: number; event: ConversationEvent }>,
  ending: { at: string; outcome: EpisodeTimedEvent['outcome'] },
): EpisodeTimedEvent | null {
  const handoff = log.findLast((e) => e.event.type === 'triaged');
  if (handoff === undefined) return null;
  const after = log.filter((e) => e.seq > handoff.seq).map((e) => e.event);
  const start = Date.parse(handoff.event.at);
  const end = Date.parse(ending.at);
  const answered = after.find((e) => e.type === 'said' && e.author === 'agent');
  const claimed = after.find((e) => e.type === 'assignee_changed' && e.agentId !== null);
  // Clocks of different instances may differ a little: a span is never negative.
  const span = (from: string, to: number): number => Math.max(0, Math.round(to - Date.parse(from)));
  return {
    at: ending.at,
    type: 'episode_timed',
    handoffSeq: handoff.seq,
    outcome: ending.outcome,
    firstResponseMs: answered !== undefined ? span(handoff.event.at, Date.parse(answered.at)) : null,
    handleTimeMs: claimed !== undefined ? span(claimed.at, end) : null,
    resolutionMs: Math.max(0, Math.round(end - start)),
  };
}
