import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SwitchboardError } from '../core/errors.js';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { botCasePlacement } from './case-bot.js';
import { DEFAULT_CASE_TEMPLATES_FILE, loadCaseTemplates, parseCaseTemplates } from './case-templates.js';

const SHIPPED = await readFile(DEFAULT_CASE_TEMPLATES_FILE, 'utf8');

function configError(run: () => unknown): SwitchboardError {
  try {
    run();
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
  throw new Error('expected SB_ERR_CONFIG');
}

describe('case templates file', () => {
  test('the shipped templates load: the five starter templates, each versioned, with category, priority and team', async () => {
    const templates = await loadCaseTemplates();
    expect(templates.templates.map((t) => t.id)).toEqual(['device-fault', 'connectivity-problem', 'delivery-complaint', 'billing-dispute', 'return-exception']);
    for (const t of templates.templates) {
      expect(t.version).toBeGreaterThanOrEqual(1);
      expect(t.fields.some((f) => f.mandatory)).toBe(true);
    }
    expect(templates.get('billing-dispute')).toMatchObject({ category: 'payment', priority: 'high', team: 'general' });
  });

  test.each([
    ['a bad pattern', SHIPPED.replace("pattern: '[A-Z0-9]{3,10}-\\d{6}'", "pattern: '[A-Z'"), 'templates[device-fault].fields[serialNumber].pattern', 'must be a valid regular expression'],
    ['an unknown category', SHIPPED.replace('category: payment', 'category: billing'), 'templates[billing-dispute].category', 'connectivity'],
    ['an unknown field type', SHIPPED.replace('type: checkbox', 'type: toggle'), 'templates[device-fault].fields[underWarranty].type', ''],
    ['a dropdown without options', SHIPPED.replace(/options:\n {10}- \{ value: wifi[^\n]*\n[^\n]*\n[^\n]*\n/, 'options: []\n'), 'templates[connectivity-problem].fields[connection].options', ''],
    ['no version', SHIPPED.replace('  - id: return-exception\n    version: 1\n', '  - id: return-exception\n'), 'templates[return-exception].version', ''],
    ['a bot case kind no template takes', SHIPPED.replace('kinds: [delivery]', 'kinds: [repair]'), 'templates', 'delivery'],
  ])('%s stops the start with an error naming the file, template and field', (_name, source, path, message) => {
    const error = configError(() => parseCaseTemplates(source, '/etc/sb/case-templates.yaml'));
    expect(error.code).toBe('SB_ERR_CONFIG');
    expect(error.message).toContain('/etc/sb/case-templates.yaml');
    expect(error.message).toContain('CASE_TEMPLATES_FILE');
    expect(error.details.map((d) => d.path)).toContain(`/etc/sb/case-templates.yaml:${path}`);
    if (message !== '') expect(error.details.map((d) => d.message).join(' ')).toContain(message);
  });

  test('an unreadable CASE_TEMPLATES_FILE names the variable and an example', async () => {
    await expect(loadCaseTemplates('/nonexistent/case-templates.yaml')).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringContaining('CASE_TEMPLATES_FILE=') });
  });

  test('a field is checked with the profile rules: mandatory, format with its hint, dropdown options, dates', async () => {
    const templates = await loadCaseTemplates();
    const device = templates.get('device-fault')!;
    const bad = templates.validate(device, { serialNumber: 'cam-1', purchaseDate: '2026-02-30', colour: 'red' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toEqual(
      expect.arrayContaining([
        { path: 'fields.serialNumber', message: 'must look like CAM360-000001' },
        { path: 'fields.fault', message: 'is required' },
        { path: 'fields.purchaseDate', message: 'must be a date (YYYY-MM-DD)' },
        { path: 'fields.colour', message: 'is not a field of template device-fault' },
      ]),
    );
    expect(templates.validate(device, { serialNumber: 'CAM360-000001', fault: 'No picture' })).toMatchObject({ ok: true, values: { serialNumber: 'CAM360-000001', fault: 'No picture', underWarranty: false } });
  });

  test.each([
    ['repair', { serial: 'CAM360-000001', tree: 'camera-offline' }, 'device-fault', { serialNumber: 'CAM360-000001' }],
    ['warranty', { sku: 'VL-CAM-360', orderNumber: '100233' }, 'device-fault', { orderNumber: '100233' }],
    ['delivery', { orderNumber: '100235', reason: 'stuck_in_transit', carrier: 'UPS', trackingNumber: '1Z' }, 'delivery-complaint', { orderNumber: '100235', carrier: 'UPS', trackingNumber: '1Z' }],
    ['refund_request', { orderNumber: '100236', reason: 'duplicate_charge', amountCents: 12999 }, 'billing-dispute', { orderNumber: '100236', dispute: 'duplicate_charge' }],
    ['payment', { orderNumber: '100236', paymentStatus: 'failed' }, 'billing-dispute', { orderNumber: '100236' }],
  ] as const)("the bot's %s cases land on their template, details filling its fields", async (kind, details, template, fields) => {
    const templates = await loadCaseTemplates();
    const placed = botCasePlacement(templates)({ kind, details: { ...details } });
    expect(placed).toMatchObject({ template_id: template, template_version: 1, team: templates.get(template)!.team, priority: templates.get(template)!.priority });
    expect(JSON.parse(placed.fields!)).toMatchObject({ ...details, ...fields });
  });

  test('a service with an invalid CASE_TEMPLATES_FILE does not start', async () => {
    await expect(startTestService('embedded', { CASE_TEMPLATES_FILE: '/nonexistent/case-templates.yaml' })).rejects.toMatchObject({ code: 'SB_ERR_CONFIG' });
  });
});

describe.each(DEPLOYMENTS)("the bot's cases land on templates (%s)", (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('a warranty claim opened by the bot is a device-fault case of version 1: team, priority, fields, timeline, primary profile and contact', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('is my camera still under warranty');
    await client.say('ada@example.com');
    await client.say((await latestCode(service.url, 'ada@example.com'))!);
    const claim = await client.say('Open a warranty claim', { payload: 'warranty:claim' });
    const caseId = /CASE-[0-9A-F]{8}/.exec(textOf(claim))?.[0];
    expect(caseId).toBeDefined();
    const { conversationId } = await client.history();
    const db = service.database.db;
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'warranty', status: 'open', template_id: 'device-fault', template_version: 1, category: 'device', team: 'technical', priority: 'normal' });
    expect(row.fields).toMatchObject({ orderNumber: '100233' });
    expect(await db.selectFrom('case_timeline').select(['actor', 'kind']).where('case_id', '=', caseId!).execute()).toEqual([{ actor: 'bot', kind: 'created' }]);
    expect(await db.selectFrom('case_profiles').select(['customer_id', 'role', 'notify']).where('case_id', '=', caseId!).execute()).toEqual([{ customer_id: 'C1001', role: 'primary', notify: true }]);
    expect(await db.selectFrom('case_contacts').select('conversation_id').where('case_id', '=', caseId!).execute()).toEqual([{ conversation_id: conversationId }]);
  });
});
