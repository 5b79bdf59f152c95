import { describe, expect, test } from 'vitest';
import { loadConfig } from './config.js';
import { isSwitchboardError, type SwitchboardError } from './errors.js';

function catchConfigError(env: Record<string, string | undefined>): SwitchboardError {
  try {
    loadConfig(env);
  } catch (error) {
    if (isSwitchboardError(error) && error.code === 'SB_ERR_CONFIG') return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

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

  const PRODUCTION = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://sb@db:5432/switchboard',
    REDIS_URL: 'redis://cache:6379',
    SESSION_SECRET: 'x'.repeat(40),
    DEV_OUTBOX: 'true',
  };

  test('production with everything it needs starts, without the demo seed', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({ SEED_DEMO: false, DATABASE_URL: PRODUCTION.DATABASE_URL, REDIS_URL: PRODUCTION.REDIS_URL });
    expect(loadConfig({ ...PRODUCTION, REDIS_URL: undefined, SINGLE_INSTANCE: 'true' })).toMatchObject({ SINGLE_INSTANCE: true });
  });

  test.each([
    ['DATABASE_URL', /^DATABASE_URL is required when NODE_ENV=production: .*Example: DATABASE_URL=postgres:\/\/\S+$/],
    ['REDIS_URL', /^REDIS_URL is required when NODE_ENV=production: .*SINGLE_INSTANCE=true.*Example: REDIS_URL=redis:\/\/\S+$/],
    ['SESSION_SECRET', /^SESSION_SECRET is required when NODE_ENV=production: .*Example: SESSION_SECRET=\S{32,}$/],
    ['DEV_OUTBOX', /^A way to deliver one-time codes is required when NODE_ENV=production.*Example: DEV_OUTBOX=true$/],
  ])('production without %s refuses to start with one line naming it and an example', (name, line) => {
    const error = catchConfigError({ ...PRODUCTION, [name]: undefined });
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(line);
    expect(error.details).toEqual([{ path: name, message: 'required in production' }]);
  });

  test('production on the embedded defaults lists every refusal at once, one line each', () => {
    const error = catchConfigError({ NODE_ENV: 'production' });
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.details.map((d) => d.path)).toEqual(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET', 'DEV_OUTBOX']);
  });

  test('development and test keep the embedded defaults: none of the production refusals apply', () => {
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });

  test('the test channel is off unless configured, needs both its settings, talks only to loopback and never runs in production', () => {
    const secret = 'x'.repeat(40);
    expect(loadConfig({}).TEST_CHANNEL_SECRET).toBeUndefined();
    expect(loadConfig({ TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/messages' })).toMatchObject({ TEST_CHANNEL_SECRET: secret });
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: 'short' })).toThrowError(/TEST_CHANNEL_SECRET="short" is invalid: must be at least 32 characters/);
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: secret })).toThrowError(/TEST_CHANNEL_OUTBOUND_URL is required with TEST_CHANNEL_SECRET.*Example: TEST_CHANNEL_OUTBOUND_URL=/);
    expect(() => loadConfig({ TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/messages' })).toThrowError(/TEST_CHANNEL_OUTBOUND_URL is set but TEST_CHANNEL_SECRET is not/);
    expect(() => loadConfig({ TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'https://api.example.com/messages' })).toThrowError(/must be an http\(s\) URL on a loopback host/);
    expect(() => loadConfig({ ...PRODUCTION, TEST_CHANNEL_SECRET: secret, TEST_CHANNEL_OUTBOUND_URL: 'http://127.0.0.1:4010/m' })).toThrowError(
      /TEST_CHANNEL_SECRET is set while NODE_ENV=production/,
    );
  });
});
