import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConversationEvent } from '../core/conversation.js';
import type { ChannelName } from '../core/message.js';
import { DuplicateProfileSchema, MergeResultSchema, ProfileDetailSchema, ProfilesSchema, ProfileWrittenSchema } from '../core/profile-api.js';
import { foldEvents } from '../bots/state.js';
import { projectionOf } from '../db/conversation-projection.js';
import { ConversationRepository } from '../db/conversations.js';
import { EventWriter } from '../db/event-writer.js';
import { insertOpenedCases, newCaseId } from '../db/cases.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { statusChange } from '../handoff/transition.js';
import { ConversationDetailSchema } from '../core/agent-api.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { ChatClient, latestCode, textOf } from '../test/chat-client.js';
import { ApiContract } from '../test/openapi-validate.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { DEMO_PROFILES } from './profile-demo.js';

describe.each(DEPLOYMENTS)('customer profiles API (%s)', (deployment) => {
  let service: TestService;
  let supervisor: AgentClient;
  let agent: AgentClient;
  let supervisorId: string;
  let agentId: string;

  const customerCount = async () => Number((await service.database.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const create = (fields: Record<string, unknown>, sharedPhone?: boolean) => agent.post('/profiles', { fields, ...(sharedPhone !== undefined ? { sharedPhone } : {}) });
  const created = async (fields: Record<string, unknown>, sharedPhone?: boolean) => {
    const res = await create(fields, sharedPhone);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return ProfileWrittenSchema.parse(res.body).profile;
  };

  /** A handed-off conversation from a channel identity, with a note, as the bot and an agent would leave it. */
  async function conversationFrom(channel: ChannelName, senderId: string, linkTo?: string): Promise<string> {
    const repo = new ConversationRepository(service.database.db);
    const contact = await repo.resolveContact(channel, senderId);
    if (linkTo !== undefined) await repo.linkCustomer(contact.contactId, linkTo);
    const conversation = await repo.openConversation(contact.contactId, channel);
    const at = new Date().toISOString();
    const events: ConversationEvent[] = [
      { at, type: 'user_said', channel, providerMessageId: randomUUID(), senderId, text: 'my router keeps dropping' },
      ...statusChange('bot', 'request_human', 'customer_asked', at),
      { at, type: 'note_added', authorId: supervisorId, text: 'called twice about the router' },
    ];
    await new EventWriter(service.database.db).commit({ conversationId: conversation.id, firstSeq: 0, events, projection: projectionOf(foldEvents(events)), effects: [] });
    return conversation.id;
  }

  beforeAll(async () => {
    service = await startTestService(deployment);
    const demo = await demoAgents(service.env.DATA_DIR!);
    const contract = await ApiContract.of(service.url);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    agent = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
    supervisor.contract = contract;
    agent.contract = contract;
    supervisorId = (await service.database.db.selectFrom('users').select('id').where('email', '=', demo.supervisor.email).executeTakeFirstOrThrow()).id;
    agentId = (await service.database.db.selectFrom('users').select('id').where('email', '=', demo.returns.email).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('without a session every profile route answers 401 and nothing is created', async () => {
    const before = await customerCount();
    const anonymous = new AgentClient(service.url);
    expect((await anonymous.get('/profiles?by=name&q=Ada')).status).toBe(401);
    expect((await anonymous.get('/profile-fields')).status).toBe(401);
    expect((await anonymous.get(`/profiles/${DEMO_FIXTURES.customerId}`)).status).toBe(401);
    expect((await anonymous.post('/profiles', { fields: { name: 'Eve', email: 'eve@example.com' } })).status).toBe(401);
    expect((await anonymous.post(`/profiles/${DEMO_FIXTURES.customerId}/merge`, { from: 'C2001' })).status).toBe(401);
    expect(await customerCount()).toBe(before);
  });

  test('the form configuration names each field, its type, whether it is mandatory and its format hint', async () => {
    const res = await agent.get('/profile-fields');
    expect(res.status).toBe(200);
    const fields = (res.body as { fields: Array<{ key: string; mandatory: boolean; type: string; hint?: string }> }).fields;
    expect(fields.find((f) => f.key === 'name')).toMatchObject({ type: 'text', mandatory: true });
    expect(fields.find((f) => f.key === 'accountId')).toMatchObject({ type: 'format', hint: 'must look like A123456' });
    expect(fields.map((f) => f.type)).toEqual(expect.arrayContaining(['dropdown', 'date', 'checkbox']));
  });

  test('a profile with a missing name and a badly formatted account ID is refused per field, and nothing is saved', async () => {
    const before = await customerCount();
    const res = await create({ name: '', email: 'nobody.new@example.com', accountId: 'B12', dateOfBirth: '1990-02-30', preferredChannel: 'fax' });
    expect(res.status).toBe(422);
    const error = (res.body as { error: { code: string; details: Array<{ path: string; message: string }> } }).error;
    expect(error.code).toBe('SB_ERR_VALIDATION');
    expect(error.details).toEqual(expect.arrayContaining([
      { path: 'fields.name', message: 'is required' },
      { path: 'fields.accountId', message: 'must look like A123456' },
      { path: 'fields.dateOfBirth', message: 'must be a date (YYYY-MM-DD)' },
      { path: 'fields.preferredChannel', message: expect.stringMatching(/^must be one of /) as unknown as string },
    ]));
    expect(error.details).toHaveLength(4);
    expect(await customerCount()).toBe(before);
    expect(await service.database.db.selectFrom('customer_contacts').select('customer_id').where('value', '=', 'nobody.new@example.com').execute()).toEqual([]);
  });

  test('a profile needs an email or a phone: without both, both fields say so', async () => {
    const res = await create({ name: 'No Contact' });
    expect(res.status).toBe(422);
    expect((res.body as { error: { details: unknown[] } }).error.details).toEqual([
      { path: 'fields.email', message: 'give an email or a phone number' },
      { path: 'fields.phone', message: 'give an email or a phone number' },
    ]);
  });

  test('an unknown field is refused by name', async () => {
    const res = await create({ name: 'Eve Extra', email: 'eve.extra@example.com', isAdmin: true });
    expect(res.status).toBe(422);
    expect((res.body as { error: { details: unknown[] } }).error.details).toEqual([{ path: 'fields.isAdmin', message: 'is not a profile field' }]);
  });

  test('a valid profile is saved with a generated Customer ID, normalized contacts and its extra fields, and is found by search', async () => {
    const profile = await created({ name: 'Nadia Okafor', email: 'Nadia.Okafor@Example.com', phone: '(415) 555-0171', accountId: 'A123456', dateOfBirth: '1988-04-12', company: 'Okafor Labs', marketingConsent: true, preferredChannel: 'sms' });
    expect(profile.customerId).toMatch(/^C\d{8}$/);
    expect(profile.fields).toEqual({ name: 'Nadia Okafor', email: 'nadia.okafor@example.com', phone: '+14155550171', accountId: 'A123456', preferredChannel: 'sms', dateOfBirth: '1988-04-12', company: 'Okafor Labs', marketingConsent: true });
    const read = await agent.get(`/profiles/${profile.customerId}`);
    expect(ProfileDetailSchema.parse(read.body).fields).toEqual(profile.fields);
    const found = ProfilesSchema.parse((await agent.get(`/profiles?by=phone&q=${encodeURIComponent('415.555.0171')}`)).body).profiles;
    expect(found.map((p) => p.customerId)).toEqual([profile.customerId]);
    // Two profiles created at once never share an ID.
    const [a, b] = await Promise.all([created({ name: 'Twin One', email: 'twin.one@example.com' }), created({ name: 'Twin Two', email: 'twin.two@example.com' })]);
    expect(a.customerId).not.toBe(b.customerId);
  });

  test("an email or direct phone that is another profile's offers that profile instead, and saves nothing", async () => {
    const before = await customerCount();
    const byEmail = await create({ name: 'Ada L.', email: 'ADA@example.com' });
    expect(byEmail.status).toBe(409);
    const offered = DuplicateProfileSchema.parse(byEmail.body);
    expect(offered.existing.map((p) => p.customerId)).toEqual([DEMO_FIXTURES.customerId]);
    expect(offered.existing[0]?.email).toBe('a***@example.com');
    const byPhone = await create({ name: 'Jonathan Smith', phone: '415 555 0181' });
    expect(byPhone.status).toBe(409);
    expect(DuplicateProfileSchema.parse(byPhone.body).existing.map((p) => p.name)).toEqual(['Jon Smith']);
    expect(await customerCount()).toBe(before);
  });

  test('a household line marked shared is no duplicate: the new person joins the profiles that share it', async () => {
    const line = DEMO_PROFILES.householdLandline;
    expect((await create({ name: 'Diego García', phone: line })).status).toBe(201); // the demo line is shared already
    const profile = await created({ name: 'Elena Park', email: 'elena.park@example.com', phone: '+14155550172' });
    // Elena's direct line becomes a household line for her brother.
    const brother = await created({ name: 'Minho Park', phone: '415-555-0172' }, true);
    const found = ProfilesSchema.parse((await agent.get('/profiles?by=phone&q=4155550172')).body).profiles;
    expect(found.map((p) => p.customerId).sort()).toEqual([profile.customerId, brother.customerId].sort());
    expect(found.every((p) => p.shared)).toBe(true);
  });

  test('editing validates the whole profile: a bad value is refused and changes nothing; a good one is saved', async () => {
    const profile = await created({ name: 'Omar Haddad', email: 'omar.haddad@example.com' });
    const bad = await agent.patch(`/profiles/${profile.customerId}`, { fields: { accountId: '123', email: '' } });
    expect(bad.status).toBe(422);
    expect((bad.body as { error: { details: Array<{ path: string }> } }).error.details.map((d) => d.path).sort()).toEqual(['fields.accountId', 'fields.email', 'fields.phone']);
    expect(ProfileDetailSchema.parse((await agent.get(`/profiles/${profile.customerId}`)).body).fields).toEqual(profile.fields);
    const good = await agent.patch(`/profiles/${profile.customerId}`, { fields: { accountId: 'A654321', email: 'omar@example.org' } });
    expect(good.status).toBe(200);
    const saved = ProfileWrittenSchema.parse(good.body).profile;
    expect(saved.fields).toMatchObject({ name: 'Omar Haddad', accountId: 'A654321', email: 'omar@example.org' });
    // The old address no longer finds Omar; the new one does.
    expect(ProfilesSchema.parse((await agent.get('/profiles?by=email&q=omar.haddad@example.com')).body).profiles).toEqual([]);
    expect(ProfilesSchema.parse((await agent.get('/profiles?by=email&q=omar@example.org')).body).profiles.map((p) => p.customerId)).toEqual([profile.customerId]);
    expect((await agent.patch('/profiles/C99999999', { fields: { name: 'Ghost' } })).status).toBe(404);
  });

  test('a merge moves conversations, identities, contacts, cases, notes and history to the survivor, and is recorded', async () => {
    const survivor = await created({ name: 'Lena Fischer', email: 'lena.fischer@example.com', company: 'Fischer GmbH' });
    const duplicate = await created({ name: 'Lena Fisher', email: 'lena.f@example.org', phone: '+14155550173', dateOfBirth: '1979-09-09', company: 'ignored' });
    const smsConversation = await conversationFrom('sms', '+14155550173', duplicate.customerId);
    const chat = await handedOffCustomer(service.url);
    expect((await supervisor.post(`/conversations/${chat.conversationId}/associate`, { customerId: duplicate.customerId })).status).toBe(200);
    const caseId = newCaseId();
    await insertOpenedCases(service.database.db, [{ id: caseId, customerId: duplicate.customerId, conversationId: smsConversation, kind: 'handoff', summary: 'router drops', details: {} }]);

    const res = await agent.post(`/profiles/${survivor.customerId}/merge`, { from: duplicate.customerId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = MergeResultSchema.parse(res.body);
    expect(result.moved).toMatchObject({ conversations: 1, contacts: 1, channelIdentities: 1, associatedConversations: 1, cases: 1, caseLinks: 1, extraFields: 1 });
    expect(result.moved.customerContacts).toBeGreaterThanOrEqual(2);

    expect((await agent.get(`/profiles/${duplicate.customerId}`)).status).toBe(404);
    const merged = ProfileDetailSchema.parse((await agent.get(`/profiles/${survivor.customerId}`)).body);
    expect(merged.history.map((h) => h.conversationId).sort()).toEqual([smsConversation, chat.conversationId].sort());
    expect(merged.history.find((h) => h.conversationId === smsConversation)?.cases).toEqual([caseId]);
    expect(await service.database.db.selectFrom('case_profiles').select(['customer_id', 'role']).where('case_id', '=', caseId).execute()).toEqual([{ customer_id: survivor.customerId, role: 'primary' }]);
    expect(merged.fields).toMatchObject({ email: 'lena.fischer@example.com', phone: '+14155550173', company: 'Fischer GmbH', dateOfBirth: '1979-09-09' });
    expect(merged.contacts.map((c) => c.value)).toEqual(expect.arrayContaining(['lena.fischer@example.com', 'lena.f@example.org', '+14155550173']));
    // The merged profile's address and phone now find the survivor.
    expect(ProfilesSchema.parse((await agent.get('/profiles?by=email&q=lena.f@example.org')).body).profiles.map((p) => p.customerId)).toEqual([survivor.customerId]);
    // The notes and transcript stay with their conversation, which is now the survivor's.
    const events = await service.database.db.selectFrom('conversation_events').select('type').where('conversation_id', '=', smsConversation).execute();
    expect(events.map((e) => e.type)).toContain('note_added');
    const audit = await service.database.db.selectFrom('profile_merges').selectAll().where('into_customer_id', '=', survivor.customerId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ from_customer_id: duplicate.customerId, merged_by: agentId });
    // bigserial: a string from node-postgres, a number from PGlite.
    expect(String(audit[0]?.id)).toBe(result.mergeId);
    expect(audit[0]?.from_snapshot).toMatchObject({ name: 'Lena Fisher', email: 'lena.f@example.org' });
    expect(audit[0]?.moved).toEqual(result.moved);
    // Merging it again: it is gone.
    expect((await agent.post(`/profiles/${survivor.customerId}/merge`, { from: duplicate.customerId })).status).toBe(404);
  });

  test('a VIP profile is merged only by a supervisor; a profile with shop orders is never the one merged away', async () => {
    const duplicateOfAda = await created({ name: 'Ada Lovelace', email: 'countess@example.org' });
    const refused = await agent.post(`/profiles/${DEMO_FIXTURES.customerId}/merge`, { from: duplicateOfAda.customerId });
    expect(refused.status).toBe(403);
    expect((await agent.get(`/profiles/${duplicateOfAda.customerId}`)).status).toBe(200);
    expect(await service.database.db.selectFrom('profile_merges').select('id').where('from_customer_id', '=', duplicateOfAda.customerId).execute()).toEqual([]);
    const ordersAway = await supervisor.post(`/profiles/${duplicateOfAda.customerId}/merge`, { from: DEMO_FIXTURES.customerId });
    expect(ordersAway.status).toBe(409);
    expect((await supervisor.post(`/profiles/${DEMO_FIXTURES.customerId}/merge`, { from: duplicateOfAda.customerId })).status).toBe(200);
    expect((await supervisor.post(`/profiles/${DEMO_FIXTURES.customerId}/merge`, { from: DEMO_FIXTURES.customerId })).status).toBe(422);
  });

  test('associating a conversation records it in the log and the contact history, and confirms it; it verifies nobody', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const res = await supervisor.post(`/conversations/${conversationId}/associate`, { customerId: 'C2001' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversationId, customer: { customerId: 'C2001', name: 'Jon Smith' }, confirmation: 'This conversation is associated with Jon Smith (C2001).' });
    const events = await service.database.db.selectFrom('conversation_events').select(['type', 'payload']).where('conversation_id', '=', conversationId).execute();
    expect(events.filter((e) => e.type === 'profile_associated')).toHaveLength(1);
    expect(events.map((e) => e.type)).not.toContain('customer_verified');
    const header = await service.database.db.selectFrom('conversations as c').innerJoin('contacts as ct', 'ct.id', 'c.contact_id').select('ct.customer_id').where('c.id', '=', conversationId).executeTakeFirstOrThrow();
    expect(header.customer_id).toBeNull();
    const profiles = await supervisor.get(`/conversations/${conversationId}/profiles`);
    expect(profiles.body).toMatchObject({ associated: { customerId: 'C2001', name: 'Jon Smith' }, linked: [] });
    const history = ProfileDetailSchema.parse((await agent.get('/profiles/C2001')).body).history;
    expect(history.map((h) => h.conversationId)).toContain(conversationId);
    // An unknown case associates nothing, the profile included.
    const unknownCase = await supervisor.post(`/conversations/${conversationId}/associate`, { caseNumbers: ['CASE-00000000'] });
    expect(unknownCase.status).toBe(404);
    expect((await supervisor.post(`/conversations/${conversationId}/associate`, { customerId: 'C99999999' })).status).toBe(404);
    expect((await supervisor.post(`/conversations/${conversationId}/associate`, {})).status).toBe(422);
    expect((await supervisor.post(`/conversations/${randomUUID()}/associate`, { customerId: 'C2001' })).status).toBe(404);
  });

  test("a customer who verifies is recognised: the conversation shows their profile, and it joins the profile's contact history", async () => {
    const chat = await new ChatClient(service.url).start();
    expect(textOf(await chat.say(`where is my order ${DEMO_FIXTURES.second.outForDeliveryOrder}`))).toMatch(/6-digit code/);
    await chat.say((await latestCode(service.url, DEMO_FIXTURES.second.email))!);
    await chat.say('talk to a person');
    const conversationId = (await chat.history()).conversationId!;
    const detail = ConversationDetailSchema.parse((await supervisor.get(`/conversations/${conversationId}`)).body);
    expect(detail.context.customer?.profile.id).toBe(DEMO_FIXTURES.second.customerId);
    const history = ProfileDetailSchema.parse((await agent.get(`/profiles/${DEMO_FIXTURES.second.customerId}`)).body).history;
    expect(history.map((h) => h.conversationId)).toContain(conversationId);
    // Recognised by the identity gate, not by an agent: nothing to choose, nothing associated.
    expect((await supervisor.get(`/conversations/${conversationId}/profiles`)).body).toEqual({ associated: null, linked: [] });
  });

  test('a conversation from a household line lists its linked profiles and attributes none of them', async () => {
    const conversationId = await conversationFrom('sms', DEMO_PROFILES.householdLandline);
    const res = await supervisor.get(`/conversations/${conversationId}/profiles`);
    expect(res.status).toBe(200);
    const body = res.body as { associated: unknown; linked: Array<{ customerId: string; name: string }> };
    expect(body.associated).toBeNull();
    expect(body.linked.map((p) => p.name)).toEqual(expect.arrayContaining(['María García', 'Luis García', 'Sofía García']));
    const detail = await supervisor.get(`/conversations/${conversationId}`);
    expect((detail.body as { verifiedCustomer: unknown; context: { customer: unknown } }).verifiedCustomer).toBeNull();
    expect((detail.body as { context: { customer: unknown } }).context.customer).toBeNull();
    // A direct line lists nobody to choose from.
    const direct = await conversationFrom('sms', DEMO_PROFILES.twoEmails.phone);
    expect(((await supervisor.get(`/conversations/${direct}/profiles`)).body as { linked: unknown[] }).linked).toEqual([]);
  });
});
