import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConversationEvent } from '../core/conversation.js';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import type { ConversationProjection } from './conversation-projection.js';
import { ConversationRepository } from './conversations.js';
import { EventWriter, type ConversationCommit } from './event-writer.js';

const at = '2030-01-01T00:00:00.000Z';
const said = (text: string): ConversationEvent => ({ at, type: 'said', author: 'bot', message: { kind: 'text', text } });
const projection = (lastSeq: number, status: ConversationProjection['status'] = 'bot'): ConversationProjection => ({
  status,
  assigneeId: null,
  team: null,
  priority: 0,
  issueType: null,
  lastSeq,
  replyTo: { channel: 'webchat', senderId: 'visitor' },
  waitingSince: null,
});

describe.each(DATABASE_KINDS)('the event writer on %s', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let repo: ConversationRepository;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    repo = new ConversationRepository(handle.db);
  });
  afterAll(async () => {
    await handle.dispose();
  });

  async function conversation(): Promise<string> {
    const contact = await repo.resolveContact('webchat', randomUUID());
    return (await repo.openConversation(contact.contactId, 'webchat')).id;
  }

  const commit = (conversationId: string, firstSeq: number, events: ConversationEvent[], status: ConversationProjection['status'] = 'bot'): ConversationCommit => ({
    conversationId,
    firstSeq,
    events,
    projection: projection(firstSeq + events.length - 1, status),
    effects: [],
  });

  test("changes written in one batch each commit their events with their projection, and one conversation's failure leaves the others committed", async () => {
    const writer = new EventWriter(handle.db);
    const [ok, refused, clashing] = [await conversation(), await conversation(), await conversation()];
    await writer.commit(commit(clashing, 0, [said('first')]));
    // The projection update of `refused` fails inside the statement that also appends its events.
    await sql`alter table conversations add constraint test_refuses_projection check (id <> ${sql.lit(refused)} or status <> 'queued')`.execute(handle.db);
    try {
      const results = await Promise.allSettled([
        writer.commit(commit(ok, 0, [said('a'), said('b')], 'queued')),
        writer.commit(commit(refused, 0, [said('c'), said('d')], 'queued')),
        // A stale cache: seq 0 is taken already.
        writer.commit(commit(clashing, 0, [said('again')])),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    } finally {
      await sql`alter table conversations drop constraint test_refuses_projection`.execute(handle.db);
    }

    expect((await repo.loadEvents(ok)).map((e) => e.seq)).toEqual([0, 1]);
    expect(await repo.projection(ok)).toMatchObject({ status: 'queued', lastSeq: 1 });
    // Nothing of the refused change: neither its events nor its projection.
    expect(await repo.loadEvents(refused)).toEqual([]);
    expect(await repo.projection(refused)).toMatchObject({ status: 'bot', lastSeq: -1 });
    expect((await repo.loadEvents(clashing)).map((e) => e.event)).toEqual([said('first')]);
    expect(await repo.projection(clashing)).toMatchObject({ lastSeq: 0 });
  });

  test('eventsAfter returns what a consumer has not seen, in seq order, a page at a time', async () => {
    const writer = new EventWriter(handle.db);
    const id = await conversation();
    await writer.commit(commit(id, 0, ['a', 'b', 'c', 'd', 'e'].map(said)));
    expect((await repo.eventsAfter(id, 1)).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect((await repo.eventsAfter(id, -1, 2)).map((e) => e.seq)).toEqual([0, 1]);
    expect(await repo.eventsAfter(id, 4)).toEqual([]);
  });
});
