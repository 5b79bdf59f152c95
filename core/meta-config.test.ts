import { describe, expect, test } from 'vitest';
import { loadConfig } from './config.js';
import { SwitchboardError } from './errors.js';

const WHATSAPP = {
  WHATSAPP_APP_SECRET: '0123456789abcdef0123456789abcdef',
  WHATSAPP_VERIFY_TOKEN: 'a-random-whatsapp-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-a-system-user-token-0123456789',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
};

function refusal(env: Record<string, string>): SwitchboardError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
  throw new Error('expected SB_ERR_CONFIG');
}

describe('Meta channel settings', () => {
  test('none set: no Meta channel; all four set: accepted as given', () => {
    expect(loadConfig({}).WHATSAPP_APP_SECRET).toBeUndefined();
    expect(loadConfig(WHATSAPP).WHATSAPP_PHONE_NUMBER_ID).toBe('106540352242922');
  });

  test.each(Object.keys(WHATSAPP))('a WhatsApp set without %s is refused, naming it and the fix', (missing) => {
    const env = Object.fromEntries(Object.entries(WHATSAPP).filter(([k]) => k !== missing));
    const error = refusal(env);
    expect(error.code).toBe('SB_ERR_CONFIG');
    expect(error.message).toContain(`${missing} is required with`);
    expect(error.message).toContain('Example:');
    expect(error.details.map((d) => d.path)).toEqual([missing]);
  });

  test('a Messenger set with only the page id names the three missing variables', () => {
    const error = refusal({ MESSENGER_PAGE_ID: '104857392011223' });
    expect(error.details.map((d) => d.path)).toEqual(['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_PAGE_ACCESS_TOKEN']);
  });

  test.each([
    ['WHATSAPP_PHONE_NUMBER_ID', '+1 555 0100', /numeric phone number ID/],
    ['WHATSAPP_VERIFY_TOKEN', 'short', /at least 16 characters/],
    ['WHATSAPP_APP_SECRET', 'x', /app secret/i],
  ])('%s=%s is refused with what it must be', (name, value, why) => {
    const error = refusal({ ...WHATSAPP, [name]: value });
    expect(error.message).toMatch(new RegExp(`^${name}=`));
    expect(error.message).toMatch(why);
  });

  test('WHATSAPP_TEMPLATES_FILE without the WhatsApp channel is refused', () => {
    expect(refusal({ WHATSAPP_TEMPLATES_FILE: '/tmp/t.yaml' }).details).toEqual([{ path: 'WHATSAPP_TEMPLATES_FILE', message: 'only with the WhatsApp channel' }]);
  });
});
