import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestService, type TestService } from '../../test/service.js';
import { openApiDocument } from './document.js';
import { mountedRoutes } from './mounted-routes.js';

let service: TestService;
/** WhatsApp Web's page: not beside the Cloud API (one WhatsApp connector), so on a service of its own. */
let whatsappWeb: TestService;

beforeAll(async () => {
  // Every optional router mounted: the development outbox, the test channel, the reset page.
  service = await startTestService('embedded', {
    DEV_OUTBOX: 'true',
    TEST_CHANNEL_SECRET: 'coverage-test-secret-with-32-characters!',
    TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:9/messages',
    // The Twilio webhook, its fallback and status callback (nothing is sent in this suite).
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'coverage-test-twilio-auth-token',
    TWILIO_FROM: '+14155550100',
    // The Meta webhooks: GET (handshake) and POST for WhatsApp, Messenger and Instagram.
    ...Object.fromEntries((['WHATSAPP', 'MESSENGER', 'INSTAGRAM'] as const).flatMap((c) => [[`${c}_APP_SECRET`, `coverage-${c.toLowerCase()}-app-secret`], [`${c}_VERIFY_TOKEN`, `coverage-${c.toLowerCase()}-verify-token`]])),
    WHATSAPP_ACCESS_TOKEN: 'coverage-whatsapp-access-token',
    WHATSAPP_PHONE_NUMBER_ID: '100000000000001',
    MESSENGER_PAGE_ACCESS_TOKEN: 'coverage-messenger-page-token',
    MESSENGER_PAGE_ID: '100000000000002',
    INSTAGRAM_ACCESS_TOKEN: 'coverage-instagram-access-token',
    INSTAGRAM_ACCOUNT_ID: '100000000000003',
  });
  whatsappWeb = await startTestService('embedded', { WHATSAPP_WEB: 'true' }, { launchWhatsAppWeb: false });
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  await whatsappWeb?.dispose();
});

const allMounted = () => [...new Set([...mountedRoutes(service.http.app), ...mountedRoutes(whatsappWeb.http.app), ...service.http.socketPaths.map((p) => `GET ${p}`)])];

function documented(): string[] {
  const doc = openApiDocument();
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, item]) => Object.keys(item as object).filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

test('every route the app mounts, and every WebSocket path, is in /openapi.json', () => {
  const mounted = allMounted();
  const inSpec = new Set(documented());
  // Named one by one, so the failure says exactly which declaration to add (server/openapi/groups.ts).
  expect(mounted.filter((route) => !inSpec.has(route)), 'mounted but not documented').toEqual([]);
});

test('every operation in /openapi.json is a route the app mounts', () => {
  const mounted = new Set(allMounted());
  expect(documented().filter((route) => !mounted.has(route)), 'documented but not mounted').toEqual([]);
});

test('the walk sees the routers behind their mounts (a sanity check on the walk itself)', () => {
  const mounted = mountedRoutes(service.http.app);
  expect(mounted).toEqual(expect.arrayContaining(['POST /api/agent/login', 'GET /api/agent/conversations/{id}', 'PUT /api/editor/articles/{id}', 'GET /help', 'POST /channels/test', 'GET /openapi.json']));
});
