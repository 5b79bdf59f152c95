import { expect, test } from 'vitest';
import { buildOpenApiDocument } from '../server/openapi/document.js';
import { ApiContract } from './openapi-validate.js';

const contract = ApiContract.from(buildOpenApiDocument());
const action = { conversationId: '1b4e28ba-2fa1-4d2b-a3c4-0a1b2c3d4e5f', status: 'assigned', assigneeId: 'u1', seqs: [4] };

test('a concrete URL finds its operation, an exact path before a template', () => {
  expect(contract.pathOf('/api/agent/conversations/1b4e28ba-2fa1-4d2b-a3c4-0a1b2c3d4e5f/claim')).toBe('/api/agent/conversations/{id}/claim');
  expect(contract.pathOf('/api/webchat/messages?after=3')).toBe('/api/webchat/messages');
  expect(contract.pathOf('/dev/outbox.json')).toBe('/dev/outbox.json');
  expect(() => contract.pathOf('/api/agent/nowhere')).toThrow('/api/agent/nowhere is not in the API document');
});

test('an answer that fits the document passes; a missing field, a wrong type or an unlisted status fails naming it', () => {
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 200, action)).not.toThrow();
  const { seqs: _seqs, ...withoutSeqs } = action;
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 200, withoutSeqs)).toThrow(/must have required property 'seqs'/);
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 200, { ...action, status: 'lost' })).toThrow(/\/status must be equal to one of the allowed values/);
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 418, action)).toThrow(/answered 418, which the API document does not list/);
  // A coded error has the shape of every error.
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 404, { error: { code: 'SB_ERR_NOT_FOUND', message: 'Not found' } })).not.toThrow();
  expect(() => contract.checkResponse('POST', '/api/agent/conversations/x/claim', 404, { message: 'Not found' })).toThrow(/must have required property 'error'/);
});

test('a request body is held to the schema the route validates with', () => {
  expect(() => contract.checkRequest('POST', '/api/agent/login', { email: 'a@example.com', password: 'secret' })).not.toThrow();
  expect(() => contract.checkRequest('POST', '/api/agent/login', { email: 'a@example.com' })).toThrow(/request body does not match the API document: \(root\) must have required property 'password'/);
  expect(() => contract.checkRequest('POST', '/api/agent/conversations/x/resolve', { disposition: 'vanished' })).toThrow(/disposition must be equal to one of the allowed values/);
  // A body where the document declares none is a drift too.
  expect(() => contract.checkRequest('POST', '/api/agent/heartbeat', { beat: 1 })).toThrow(/declares no JSON request body/);
});

test('a refused request is not held to the schema, but its refusal is', () => {
  const refusal = { error: { code: 'SB_ERR_VALIDATION', message: 'The request body is invalid', details: [{ path: 'password', message: 'Required' }] } };
  expect(() => contract.checkExchange({ method: 'POST', url: '/api/agent/login', requestBody: { email: 'a@example.com' }, status: 400, responseBody: refusal })).not.toThrow();
  expect(() => contract.checkExchange({ method: 'POST', url: '/api/agent/login', requestBody: { email: 'a@example.com' }, status: 200, responseBody: refusal })).toThrow(/request body/);
});
