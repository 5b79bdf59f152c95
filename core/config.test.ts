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
});
