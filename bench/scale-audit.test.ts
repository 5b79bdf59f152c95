import { describe, expect, test } from 'vitest';
import { auditConversation } from './scale-audit.js';
import type { Push, SentMessage, TranscriptEntry } from './scale-customer.js';

const customer = (seq: number, text: string): TranscriptEntry => ({ seq, author: 'customer', message: { kind: 'text', text } });
const bot = (seq: number, text = 'ok'): TranscriptEntry => ({ seq, author: 'bot', message: { kind: 'text', text } });
const acked = (text: string, userSeq: number, replySeqs: number[], duplicate = false): SentMessage => ({
  id: `id-${text.replaceAll(' ', '-')}`,
  text,
  firstSentAt: 0,
  attempts: 1,
  ack: { duplicate, userSeq: duplicate ? undefined : userSeq, replySeqs: duplicate ? [] : replySeqs, backend: 'a', attemptStartedAt: 0, at: 1 },
});
const unacked = (text: string): SentMessage => ({ id: `id-${text}`, text, firstSentAt: 0, attempts: 3, ack: undefined });

const sent = [acked('hi there', 0, [1]), acked('thanks', 2, [3, 4])];
const transcript = [customer(0, 'hi there'), bot(1), customer(2, 'thanks'), bot(3), bot(4)];
const pushes: Push[] = [1, 3, 4].map((seq) => ({ connection: 0, seq }));

describe('auditing a conversation of the scale bench', () => {
  test('a conversation stored and pushed as it was acknowledged has no findings', () => {
    expect(auditConversation(sent, transcript, pushes)).toEqual({ orderingViolations: 0, lost: 0, duplicated: 0, repeatedPushes: 0, findings: [] });
  });

  test('a retry acknowledged as a duplicate, and a message never acknowledged nor stored, are neither lost nor duplicated', () => {
    const audit = auditConversation([acked('hi there', 0, [1], true), unacked('thanks')], transcript.slice(0, 2), []);
    expect(audit).toMatchObject({ orderingViolations: 0, lost: 0, duplicated: 0 });
  });

  test.each([
    { what: 'an acknowledged message missing from the transcript', messages: sent, entries: transcript.slice(0, 2), lost: 1, duplicated: 0 },
    { what: 'an acknowledged reply missing', messages: sent, entries: transcript.slice(0, 4), lost: 1, duplicated: 0 },
    { what: 'an acknowledged duplicate that was never answered', messages: [acked('hi there', 0, [1], true)], entries: [customer(0, 'hi there')], lost: 1, duplicated: 0 },
    { what: 'a message stored twice', messages: sent.slice(0, 1), entries: [...transcript.slice(0, 2), customer(2, 'hi there'), bot(3)], lost: 0, duplicated: 1 },
    { what: 'a turn whose replies were stored twice', messages: sent.slice(0, 1), entries: [...transcript.slice(0, 2), bot(2)], lost: 0, duplicated: 1 },
  ])('$what is counted', ({ messages, entries, lost, duplicated }) => {
    const audit = auditConversation(messages, entries, []);
    expect(audit).toMatchObject({ lost, duplicated, orderingViolations: 0 });
    expect(audit.findings).toHaveLength(lost + duplicated);
  });

  test.each([
    { what: 'customer messages stored out of the order they were sent', entries: [customer(0, 'thanks'), bot(1), customer(2, 'hi there'), bot(3), bot(4)] },
    { what: "a reply stored after the next message's", entries: [customer(0, 'hi there'), customer(2, 'thanks'), bot(1), bot(3), bot(4)] },
    { what: 'an acknowledged seq that is not where the message is stored', entries: [customer(0, 'hi there'), bot(1), bot(2), customer(3, 'thanks'), bot(4)] },
  ])('$what is an ordering violation', ({ entries }) => {
    expect(auditConversation(sent, entries, []).orderingViolations).toBeGreaterThan(0);
  });

  test('pushes out of seq order on one socket are a violation; the same reply pushed again on a new socket is only a repeated push', () => {
    expect(auditConversation(sent, transcript, [3, 1, 4].map((seq) => ({ connection: 0, seq }))).orderingViolations).toBe(1);
    const reconnected = [...pushes, { connection: 1, seq: 4 }];
    expect(auditConversation(sent, transcript, reconnected)).toMatchObject({ orderingViolations: 0, repeatedPushes: 1 });
  });
});
