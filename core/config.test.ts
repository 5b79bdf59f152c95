import { describe, expect, test } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  test('embedded defaults need no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', SEED_DEMO: true, DEV_OUTBOX: true, NLU_PROVIDER: 'local' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PUBLIC_URL).toBe('http://localhost:3000');
  });

  test.each([
    ['PORT', 'eighty', /PORT="eighty" is invalid: .*Example: PORT=8080/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL="localhost:6379" is invalid: must be a redis:\/\/ or rediss:\/\/ URL\. Example: REDIS_URL=redis:\/\/127\.0\.0\.1:6379/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL=.* must be a postgres:\/\/ URL/],
    ['ORDER_NUMBER_PATTERN', '([', /ORDER_NUMBER_PATTERN=.* must be a valid regular expression/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud" is invalid/],
  ])('a bad %s is reported in one line naming the variable, the problem and an example', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(message);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect(error).toMatchObject({ code: 'SB_ERR_CONFIG' });
    }
  });

  test('production refuses to start without a session secret and turns development helpers off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/SESSION_SECRET is required when NODE_ENV=production/);
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(config).toMatchObject({ SEED_DEMO: false, DEV_OUTBOX: false });
  });

  test('the test channel is off unless configured, needs both its settings, talks only to loopback and never runs in production', () => {
    const secret = 'x'.repeat(40);
    expect(loadConfig({}).TEST_CHANNEL_SECRET).toBeUndefined();
    expect(loadConfig({ TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/messages' })).toMatchObject({ TEST_CHANNEL_SECRET: secret });
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: 'short' })).toThrowError(/TEST_CHANNEL_SECRET="short" is invalid: must be at least 32 characters/);
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: secret })).toThrowError(/TEST_CHANNEL_OUTBOUND_URL is required with TEST_CHANNEL_SECRET.*Example: TEST_CHANNEL_OUTBOUND_URL=/);
    expect(() => loadConfig({ TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/messages' })).toThrowError(/TEST_CHANNEL_OUTBOUND_URL is set but TEST_CHANNEL_SECRET is not/);
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'https://api.example.com/messages' })).toThrowError(/must be an http\(s\) URL on a loopback host/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(40), TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/m' })).toThrowError(
      /TEST_CHANNEL_SECRET is set while NODE_ENV=production/,
    );
  });
});
