import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AGENT_SESSION_COOKIE } from '../../core/agent-api.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../../test/agent-client.js';
import { openWidgetSocket } from '../../test/chat-client.js';
import { startInstancePair, type InstancePair } from '../../test/instance-pair.js';

interface Frame {
  type: string;
  activity?: string;
  conversationId?: string;
  agentId?: string;
  agentName?: string;
  name?: string | null;
  seq?: number;
}

/** A console's socket that also sends, as the console does (activity signals). */
async function consoleSocket(client: AgentClient): Promise<{ frames: Frame[]; send(signal: unknown): void; close(): void }> {
  const ws = new WebSocket(`${client.baseUrl.replace('http', 'ws')}/api/agent/socket`, {
    headers: { origin: client.baseUrl, cookie: `${AGENT_SESSION_COOKIE}=${client.cookie ?? ''}` },
  });
  const frames: Frame[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as Frame;
      frames.push(frame);
      if (frame.type === 'ready') resolve();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
    ws.on('error', reject);
  });
  return { frames, send: (signal) => ws.send(JSON.stringify(signal)), close: () => ws.close() };
}

const activities = (frames: Frame[], conversationId: string) => frames.filter((f) => f.type === 'activity' && f.conversationId === conversationId);

describe('agents viewing and typing, across two instances', () => {
  let pair: InstancePair;
  let accounts: Awaited<ReturnType<typeof demoAgents>>;
  beforeAll(async () => {
    // Agents claim by hand here: routing's offers would race the claims.
    pair = await startInstancePair('redis+postgres', { ROUTING_AUTO_ASSIGN: 'false' });
    accounts = await demoAgents(pair.a.env.DATA_DIR!);
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  const signIn = (url: string, who: 'supervisor' | 'returns' | 'technical') => new AgentClient(url).login(accounts[who].email, accounts[who].password);

  test("an agent typing on one instance is shown to a colleague on the other, never to an agent outside the conversation's team, never to themselves", async () => {
    const { conversationId } = await handedOffCustomer(pair.a.url);
    const { conversationId: unrouted } = await handedOffCustomer(pair.a.url);
    const supervisor = await signIn(pair.b.url, 'supervisor');
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'returns', reason: 'a return' })).status).toBe(200);
    const sam = await signIn(pair.a.url, 'returns');
    const alex = await signIn(pair.b.url, 'technical');
    const [samSocket, morganSocket, alexSocket] = await Promise.all([consoleSocket(sam), consoleSocket(supervisor), consoleSocket(alex)]);

    samSocket.send({ type: 'typing', conversationId });
    await expect.poll(() => activities(morganSocket.frames, conversationId)).toEqual([expect.objectContaining({ activity: 'typing', agentName: 'Sam' })]);

    // Alex is not in the returns team: his signal about it goes nowhere. His next one, about a
    // conversation he may see, shows that the socket read both (one socket's signals stay in order).
    alexSocket.send({ type: 'viewing', conversationId });
    alexSocket.send({ type: 'viewing', conversationId: unrouted });
    await expect.poll(() => activities(morganSocket.frames, unrouted)).toEqual([expect.objectContaining({ activity: 'viewing', agentName: 'Alex' })]);
    expect(activities(morganSocket.frames, conversationId).map((f) => f.agentName)).toEqual(['Sam']);
    expect(activities(alexSocket.frames, conversationId)).toEqual([]);
    expect(activities(samSocket.frames, conversationId)).toEqual([]);
    // Sam, in returns, also sees the unrouted conversation's viewer.
    await expect.poll(() => activities(samSocket.frames, unrouted).map((f) => f.agentName)).toEqual(['Alex']);
    for (const s of [samSocket, morganSocket, alexSocket]) s.close();
  });

  test('a console sending signals in a burst is passed on once per window; malformed frames are ignored', async () => {
    const { conversationId } = await handedOffCustomer(pair.a.url);
    const sam = await signIn(pair.a.url, 'returns');
    const supervisor = await signIn(pair.b.url, 'supervisor');
    const [samSocket, morganSocket] = await Promise.all([consoleSocket(sam), consoleSocket(supervisor)]);
    samSocket.send({ type: 'shouting', conversationId });
    samSocket.send({ type: 'typing', conversationId: 'not-a-conversation' });
    for (let i = 0; i < 20; i++) samSocket.send({ type: 'typing', conversationId });
    // The barrier: a different kind, sent after the burst, is not held back by its window.
    samSocket.send({ type: 'viewing', conversationId });
    await expect.poll(() => activities(morganSocket.frames, conversationId).map((f) => f.activity)).toContain('viewing');
    expect(activities(morganSocket.frames, conversationId).filter((f) => f.activity === 'typing')).toHaveLength(1);
    samSocket.close();
    morganSocket.close();
  });

  test('the web-chat customer on one instance sees "<first name> has joined" once, then that agent typing, from the other instance', async () => {
    const { client, conversationId } = await handedOffCustomer(pair.a.url);
    const widget = await openWidgetSocket(pair.a.url, client.token);
    const supervisor = await signIn(pair.b.url, 'supervisor');
    const morganSocket = await consoleSocket(supervisor);

    expect((await supervisor.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    await expect.poll(() => widget.pushed.filter((p) => p.type === 'agent')).toEqual([expect.objectContaining({ type: 'agent', name: 'Morgan' })]);
    // After a reload the header still knows who it is.
    const history = (await (await fetch(`${pair.a.url}/api/webchat/messages`, { headers: { authorization: `Bearer ${client.token}` } })).json()) as { agent: unknown };
    expect(history.agent).toEqual({ name: 'Morgan' });

    morganSocket.send({ type: 'typing', conversationId });
    await expect.poll(() => widget.pushed.filter((p) => p.type === 'typing')).toEqual([{ type: 'typing', name: 'Morgan' }]);

    expect((await supervisor.post(`/conversations/${conversationId}/messages`, { text: 'Hello, Morgan here.' })).status).toBe(200);
    await expect.poll(() => widget.pushed.filter((p) => p.type === 'message').length).toBeGreaterThan(0);
    // Both instances heard the change of holder; only one told the widget. Nothing about it was stored as a message.
    expect(widget.pushed.filter((p) => p.type === 'agent')).toHaveLength(1);
    const said = await client.history();
    expect(said.messages.map((m) => m.message)).not.toContainEqual(expect.objectContaining({ text: expect.stringContaining('has joined') }));
    widget.close();
    morganSocket.close();
  });

  test("only the agent holding the web chat is shown typing to the customer; another agent's draft is not", async () => {
    const { client, conversationId } = await handedOffCustomer(pair.a.url);
    const widget = await openWidgetSocket(pair.b.url, client.token);
    const sam = await signIn(pair.a.url, 'returns');
    const supervisor = await signIn(pair.b.url, 'supervisor');
    const [samSocket, morganSocket] = await Promise.all([consoleSocket(sam), consoleSocket(supervisor)]);
    expect((await sam.post(`/conversations/${conversationId}/claim`)).status).toBe(200);
    await expect.poll(() => widget.pushed.filter((p) => p.type === 'agent').length).toBe(1);

    morganSocket.send({ type: 'typing', conversationId });
    // Sam sees the supervisor typing in the console...
    await expect.poll(() => activities(samSocket.frames, conversationId).map((f) => f.agentName)).toEqual(['Morgan (supervisor)']);
    samSocket.send({ type: 'typing', conversationId });
    await expect.poll(() => widget.pushed.filter((p) => p.type === 'typing')).toEqual([{ type: 'typing', name: 'Sam' }]);
    // ...the customer never does.
    expect(widget.pushed).not.toContainEqual(expect.objectContaining({ type: 'typing', name: 'Morgan' }));
    widget.close();
    samSocket.close();
    morganSocket.close();
  });
});
