import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CaseDetailSchema, CaseListSchema } from '../core/case-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

const ADA = DEMO_FIXTURES;

describe.each(DEPLOYMENTS)('keyword search over cases (%s)', (deployment) => {
  let service: TestService;
  let supervisor: AgentClient;
  const numbers: Record<'fieldMention' | 'noteMention' | 'otherRouter' | 'unrelated', string> = { fieldMention: '', noteMention: '', otherRouter: '', unrelated: '' };

  async function open(template: string, fields: Record<string, string>, note?: string): Promise<string> {
    const res = await supervisor.post('/cases', { template, fields, profiles: [{ customerId: ADA.customerId, role: 'primary' }] });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const number = CaseDetailSchema.parse(res.body).case.number;
    if (note !== undefined) await supervisor.patch(`/cases/${number}`, { note });
    return number;
  }

  async function search(q: string): Promise<Array<{ number: string; rank?: number | undefined }>> {
    const res = await supervisor.get(`/cases?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return CaseListSchema.parse(res.body).cases;
  }

  beforeAll(async () => {
    service = await startTestService(deployment);
    const demo = await demoAgents(service.env.DATA_DIR!);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    numbers.fieldMention = await open('connectivity-problem', { connection: 'wifi', symptoms: 'Mesh router loses the uplink every evening' });
    numbers.noteMention = await open('device-fault', { serialNumber: ADA.offlineCameraSerial, fault: 'Camera offline' }, 'Customer thinks the router may be the cause; firmware 2.3.0 installed');
    numbers.otherRouter = await open('connectivity-problem', { connection: 'app', symptoms: 'Pairing the router fails in the app with error 17' });
    numbers.unrelated = await open('delivery-complaint', { orderNumber: ADA.shippedOrder, complaint: 'late', details: 'Parcel stuck at the depot' });
  }, 180_000);
  afterAll(async () => {
    await service?.dispose();
  });

  test('a common term lists several cases, best first: in a field outranks only in a note', async () => {
    const found = await search('router');
    expect(found.map((c) => c.number).sort()).toEqual([numbers.fieldMention, numbers.noteMention, numbers.otherRouter].sort());
    expect(found.at(-1)?.number).toBe(numbers.noteMention);
    expect(found[0]!.rank!).toBeGreaterThan(found.at(-1)!.rank!);
  });

  test('more specific terms narrow the list', async () => {
    expect((await search('router evening')).map((c) => c.number)).toEqual([numbers.fieldMention]);
    expect((await search('router pairing')).map((c) => c.number)).toEqual([numbers.otherRouter]);
    expect((await search('router -pairing')).map((c) => c.number).sort()).toEqual([numbers.fieldMention, numbers.noteMention].sort());
  });

  test('stems match (losing ~ loses), notes and the case number are searchable', async () => {
    expect((await search('losing uplinks')).map((c) => c.number)).toEqual([numbers.fieldMention]);
    expect((await search('firmware')).map((c) => c.number)).toEqual([numbers.noteMention]);
    expect((await search(numbers.unrelated)).map((c) => c.number)).toEqual([numbers.unrelated]);
    expect((await search(numbers.unrelated.toLowerCase())).map((c) => c.number)).toEqual([numbers.unrelated]);
  });

  test('a later note is found too, and a term nobody wrote finds nothing', async () => {
    expect(await search('quokka')).toEqual([]);
    await supervisor.patch(`/cases/${numbers.unrelated}`, { note: 'Depot says a quokka chewed the label' });
    expect((await search('quokka')).map((c) => c.number)).toEqual([numbers.unrelated]);
  });

  test('an empty query is refused', async () => {
    expect((await supervisor.get('/cases?q=')).status).toBe(422);
    expect((await supervisor.get('/cases')).status).toBe(422);
  });
});
