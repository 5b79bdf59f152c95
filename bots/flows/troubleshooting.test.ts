import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, latestCode, textOf, type ChatEntry, type SendResult } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';

describe.each(DEPLOYMENTS)('guided troubleshooting over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const press = (client: ChatClient, result: SendResult, value: string) => {
    const option = result.messages.flatMap((m) => (m.message.kind === 'choice' ? m.message.options : [])).find((o) => o.value === value);
    expect(option, `option ${value} offered in: ${textOf(result)}`).toBeDefined();
    return client.say(option!.label, { payload: option!.value });
  };
  const events = async (client: ChatClient) => {
    const { conversationId } = await client.history();
    const rows = await service.database.db.selectFrom('conversation_events').select(['type', 'payload']).where('conversation_id', '=', conversationId!).orderBy('seq').execute();
    return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>);
  };
  const indexOf = (entries: ChatEntry[], pattern: RegExp) => entries.findIndex((e) => pattern.test(textOf([e])));

  /** Ada says her camera is offline, gets the first step at once, then verifies by email; returns the reply after the code. */
  async function verifiedAda(client: ChatClient): Promise<SendResult> {
    const first = await client.say('my camera is offline');
    expect(textOf(first)).toMatch(/camera offline/i);
    expect(textOf(first)).toMatch(/What is the light on the camera doing\?/);
    expect(textOf(first)).toMatch(/check your camera's status/);
    expect(textOf(first)).not.toMatch(/CAM360|firmware|offline since/);
    const sent = await client.say(ADA_EMAIL);
    expect(textOf(sent)).toMatch(/6-digit code/);
    expect(textOf(sent)).not.toMatch(/CAM360/);
    return client.say((await latestCode(service.url, ADA_EMAIL))!);
  }

  test('a verified customer sees her camera\'s dashboard status before any question, then a step fixes it and the flow ends resolved', async () => {
    const client = await new ChatClient(service.url).start();
    const verified = await verifiedAda(client);
    const dashboard = indexOf(verified.messages, /Voltline Cam 360 .*\(CAM360-000001\) has been offline since \d\d:\d\d P[SD]T, about 3 hours ago; firmware 2\.3\.0 \(latest 2\.4\.1\)/);
    const question = indexOf(verified.messages, /What is the light on the camera doing\?/);
    expect(dashboard).toBeGreaterThanOrEqual(0);
    expect(question).toBeGreaterThan(dashboard);

    const wifiChanged = await press(client, verified, 'ts-opt:1'); // Blinking red
    expect(textOf(wifiChanged)).toMatch(/change your Wi-Fi name/);
    const restart = await press(client, wifiChanged, 'ts-opt:1'); // No
    expect(textOf(restart)).toMatch(/Unplug the camera/);
    expect(textOf(restart)).toMatch(/Did that fix it\?/);
    expect(textOf(restart)).toContain(`${service.url}/help/camera-offline`);
    const fixed = await press(client, restart, 'ts-check:yes');
    expect(textOf(fixed)).toMatch(/glad it's working again/i);

    const log = await events(client);
    expect(log).toContainEqual(expect.objectContaining({ type: 'flow_ended', flow: 'troubleshooting', outcome: 'resolved' }));
    // The first step came before verification; after it the walk starts again from the dashboard.
    expect(log.filter((e) => e.type === 'flow_step' && String(e.step).startsWith('node:')).map((e) => e.step)).toEqual([
      'node:camera-light',
      'node:camera-light',
      'node:wifi-changed',
      'node:restart-camera',
    ]);
  });

  test('when no step helps, an in-warranty camera gets a repair case with the device and the steps tried', async () => {
    const client = await new ChatClient(service.url).start();
    let reply = await verifiedAda(client);
    for (const value of ['ts-opt:1', 'ts-opt:1', 'ts-check:no']) reply = await press(client, reply, value);
    expect(textOf(reply)).toMatch(/signal is weaker than/);
    const end = await press(client, reply, 'ts-check:no');
    const caseId = /CASE-[0-9A-F]{8}/.exec(textOf(end))?.[0];
    expect(caseId).toBeDefined();

    const row = await service.database.db.selectFrom('cases').selectAll().where('id', '=', caseId!).executeTakeFirstOrThrow();
    const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as { serial: string; stepsTried: Array<{ node: string; outcome: string }> };
    expect(row).toMatchObject({ kind: 'repair', customer_id: 'C1001', status: 'open' });
    expect(details.serial).toBe('CAM360-000001');
    expect(details.stepsTried.map((s) => `${s.node}:${s.outcome}`)).toEqual([
      'camera-light:answered',
      'wifi-changed:answered',
      'restart-camera:not_fixed',
      'check-signal:not_fixed',
    ]);
    expect(await events(client)).toContainEqual(expect.objectContaining({ type: 'flow_ended', flow: 'troubleshooting', outcome: 'resolved' }));
  });

  test('without verification it troubleshoots without device data and hands off with the steps tried in the event log', async () => {
    const client = await new ChatClient(service.url).start();
    const question = await client.say('my camera is offline');
    expect(textOf(question)).toMatch(/What is the light on the camera doing\?/);
    const step = await client.say('solid blue'); // typed, not pressed
    expect(textOf(step)).toMatch(/Close the Voltline Home app/);
    const handoff = await press(client, step, 'ts-check:no');
    const text = textOf(handoff);
    expect(text).toMatch(/smart-home team/);
    expect(text).toMatch(/1\. What is the light on the camera doing\? → Solid blue/);
    expect(text).toMatch(/2\. The camera itself is online.*didn't help/);

    const log = await events(client);
    const tried = log.filter((e) => e.type === 'slot_set' && e.name === 'troubleshooting_steps').at(-1);
    expect(tried?.value).toHaveLength(2);
    expect(log).toContainEqual(expect.objectContaining({ type: 'status_changed', to: 'queued' }));
    expect(log).toContainEqual(expect.objectContaining({ type: 'flow_ended', flow: 'troubleshooting', outcome: 'handed_off' }));
    // Nothing about Ada's devices was shown to an unverified visitor.
    expect(textOf((await client.history()).messages)).not.toMatch(/CAM360|2\.3\.0|offline since/);
  });
});
