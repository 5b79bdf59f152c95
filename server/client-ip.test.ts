import { describe, expect, test } from 'vitest';
import { isLoopbackAddress } from '../channels/outbox/routes.js';
import { loadConfig } from '../core/config.js';
import { compileTrustProxy } from './client-ip.js';

describe('TRUST_PROXY', () => {
  test.each([
    [undefined, '127.0.0.1', 0, false],
    [undefined, '10.0.0.1', 0, false],
    ['loopback', '127.0.0.1', 0, true],
    ['loopback', '10.0.0.1', 0, false],
    ['10.0.0.0/8, loopback', '10.2.3.4', 0, true],
    ['1', '203.0.113.1', 0, true],
    ['1', '203.0.113.1', 1, false],
  ])('%s trusts %s at hop %i: %s', (setting, address, hop, trusted) => {
    expect(compileTrustProxy(setting)(address, hop)).toBe(trusted);
  });

  test('a value that is neither hops nor addresses stops start-up naming the variable', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrowError(/TRUST_PROXY="everyone" is invalid: .*Example: TRUST_PROXY=/);
  });
});

test.each([
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['::1', true],
  ['::ffff:127.0.0.1', true],
  ['10.0.0.1', false],
  ['::ffff:192.0.2.1', false],
  ['2001:db8::1', false],
  ['127.0.0.1.evil', false],
  [undefined, false],
])('%s is a loopback client: %s', (address, loopback) => {
  expect(isLoopbackAddress(address)).toBe(loopback);
});
