import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ChatClient, openWidgetSocket } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { defineJob } from './job-definition.js';
import { eventually } from './test-fixtures/delivery.js';

const ADMIN_TOKEN = 'test-admin-token-for-dead-letters-0123456789';

describe.each(DEPLOYMENTS)('jobs in the running service (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment, { ADMIN_TOKEN });
  });
  afterAll(async () => {
    await service.dispose();
  });

  test('a web-chat reply is stored as an outbound row, sent with a receipt, and pushed to the socket once', async () => {
    const client = await new ChatClient(service.url).start();
    const socket = await openWidgetSocket(service.url, client.token);
    try {
      const answer = await client.say('hello');
      expect(answer.messages.length).toBeGreaterThan(0);
      const { conversationId } = await client.history();
      const rows = await eventually(
        () => service.database.db.selectFrom('outbound_messages').selectAll().where('conversation_id', '=', conversationId!).orderBy('seq').execute(),
        (found) => found.length === answer.messages.length && found.every((r) => r.status === 'sent'),
      );
      expect(rows.map((r) => [r.seq, r.provider_message_id])).toEqual(answer.messages.map((m) => [m.seq, `webchat:${conversationId}:${m.seq}`]));
      const replySeqs = new Set(answer.messages.map((m) => m.seq));
      await eventually(async () => socket.pushed.filter((p) => p.seq !== undefined && replySeqs.has(p.seq)).length, (n) => n >= replySeqs.size);
      const pushedSeqs = socket.pushed.filter((p) => p.seq !== undefined && replySeqs.has(p.seq)).map((p) => p.seq);
      expect(pushedSeqs).toEqual([...replySeqs]);
    } finally {
      socket.close();
    }
  });

  test('GET /admin/jobs/dead lists a poison job for the admin token only', async () => {
    const def = defineJob({ name: 'test-admin-poison', schema: z.object({ orderRef: z.string() }), retryLimit: 0 });
    await service.jobs.register(def);
    await service.jobs.work(def, async () => {
      throw new Error('always fails');
    });
    await service.jobs.send(def, { orderRef: 'R-9' });
    service.jobs.wake(def);

    const dead = await eventually(
      async () => {
        const res = await fetch(`${service.url}/admin/jobs/dead`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        return (await res.json()) as { deadJobs: Array<{ queue: string; data: unknown; reason: string }> };
      },
      (body) => body.deadJobs.some((j) => j.queue === def.name),
    );
    expect(dead.deadJobs.filter((j) => j.queue === def.name)).toEqual([expect.objectContaining({ queue: def.name, data: { orderRef: 'R-9' }, reason: 'error' })]);

    const none = await fetch(`${service.url}/admin/jobs/dead`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${service.url}/admin/jobs/dead`, { headers: { authorization: 'Bearer not-the-token-not-the-token' } });
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(await wrong.json())).not.toContain('R-9');
    const badLimit = await fetch(`${service.url}/admin/jobs/dead?limit=0`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(badLimit.status).toBe(400);
  });
});
