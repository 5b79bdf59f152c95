import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';

describe.each(DEPLOYMENTS)('warranty over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  test('a verified customer learns her camera is in warranty, with the warranty article, and gets a warranty case', async () => {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say('is my camera still under warranty');
    expect(textOf(ask)).toMatch(/order number/i);
    expect(textOf(ask)).not.toMatch(/Cam 360|covered/);
    await client.say(ADA_EMAIL);
    const status = await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const text = textOf(status);
    expect(text).toMatch(/Your Voltline Cam 360 from order 100233 .* is covered by the 24-month warranty until/);
    expect(text).toContain(`${service.url}/help/warranty-coverage`);

    const claim = await client.say('Open a warranty claim', { payload: 'warranty:claim' });
    const caseId = /CASE-[0-9A-F]{8}/.exec(textOf(claim))?.[0];
    expect(caseId).toBeDefined();
    const row = await service.database.db.selectFrom('cases').selectAll().where('id', '=', caseId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'warranty', customer_id: 'C1001', status: 'open' });
  });

  test('declining the claim opens no case', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('is my camera still under warranty');
    await client.say(ADA_EMAIL);
    await client.say((await latestCode(service.url, ADA_EMAIL))!);
    const { conversationId } = await client.history();
    await client.say('No, thanks', { payload: 'warranty:no' });
    const cases = await service.database.db.selectFrom('cases').select('id').where('conversation_id', '=', conversationId!).execute();
    expect(cases).toEqual([]);
  });
});
