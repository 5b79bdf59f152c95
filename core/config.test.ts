import { describe, expect, test } from 'vitest';
import { loadConfig, notificationTransports } from './config.js';
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
    SMTP_URL: 'smtp://mailer:secret@smtp.example.com:587',
    MAIL_FROM: 'support@example.com',
  };
  const TWILIO = {
    TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 't'.repeat(32),
    TWILIO_FROM: '+14155550100',
  };

  test('production with everything it needs starts, without the demo seed', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({ SEED_DEMO: false, DATABASE_URL: PRODUCTION.DATABASE_URL, REDIS_URL: PRODUCTION.REDIS_URL });
    expect(loadConfig({ ...PRODUCTION, REDIS_URL: undefined, SINGLE_INSTANCE: 'true' })).toMatchObject({ SINGLE_INSTANCE: true });
  });

  test.each([
    ['DATABASE_URL', /^DATABASE_URL is required when NODE_ENV=production: .*Example: DATABASE_URL=postgres:\/\/\S+$/],
    ['REDIS_URL', /^REDIS_URL is required when NODE_ENV=production: .*SINGLE_INSTANCE=true.*Example: REDIS_URL=redis:\/\/\S+$/],
    ['SESSION_SECRET', /^SESSION_SECRET is required when NODE_ENV=production: .*Example: SESSION_SECRET=\S{32,}$/],
    ['SMTP_URL', /^A way to deliver one-time codes is required when NODE_ENV=production: email over SMTP \(SMTP_URL and MAIL_FROM\) or SMS through Twilio \(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM\)\. Example: SMTP_URL=smtp:\/\/\S+ MAIL_FROM=\S+@\S+$/],
  ])('production without %s refuses to start with one line naming it and an example', (name, line) => {
    const error = catchConfigError({ ...PRODUCTION, [name]: undefined, ...(name === 'SMTP_URL' ? { MAIL_FROM: undefined } : {}) });
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(line);
    expect(error.details).toEqual([{ path: name, message: 'required in production' }]);
  });

  test('production on the embedded defaults lists every refusal at once, one line each', () => {
    const error = catchConfigError({ NODE_ENV: 'production' });
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.details.map((d) => d.path)).toEqual(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET', 'SMTP_URL']);
  });

  test.each([
    ['email over SMTP', {}],
    ['SMS through Twilio from a number', { SMTP_URL: undefined, MAIL_FROM: undefined, ...TWILIO }],
    ['SMS through a Twilio Messaging Service', { SMTP_URL: undefined, MAIL_FROM: undefined, ...TWILIO, TWILIO_FROM: undefined, TWILIO_MESSAGING_SERVICE_SID: `MG${'b'.repeat(32)}` }],
    ['both', { ...TWILIO }],
  ])('production delivers one-time codes by %s', (_name, env) => {
    expect(() => loadConfig({ ...PRODUCTION, ...env })).not.toThrow();
  });

  test('production refuses the development outbox, which would show every code to anyone, in one line naming it', () => {
    const error = catchConfigError({ ...PRODUCTION, DEV_OUTBOX: 'true' });
    expect(error.message).toBe(
      'DEV_OUTBOX=true is not allowed when NODE_ENV=production: the development outbox shows every code and reset link to whoever asks; deliver them by email or SMS instead. Example: DEV_OUTBOX=false',
    );
    expect(error.details).toEqual([{ path: 'DEV_OUTBOX', message: 'not allowed in production' }]);
    // The outbox is not a way to deliver codes in production: both refusals, one line each.
    expect(catchConfigError({ ...PRODUCTION, SMTP_URL: undefined, MAIL_FROM: undefined, DEV_OUTBOX: 'true' }).details.map((d) => d.path)).toEqual(['DEV_OUTBOX', 'SMTP_URL']);
    expect(loadConfig({ ...PRODUCTION, DEV_OUTBOX: 'false' })).toMatchObject({ DEV_OUTBOX: false });
  });

  test.each([
    ['SMTP_URL without MAIL_FROM', { SMTP_URL: 'smtp://smtp.example.com:587' }, 'MAIL_FROM', /^MAIL_FROM is required with SMTP_URL: the sender of the emails\. Example: MAIL_FROM="Voltline Support" <support@example\.com>$/],
    ['MAIL_FROM without SMTP_URL', { MAIL_FROM: 'support@example.com' }, 'SMTP_URL', /^SMTP_URL is required with MAIL_FROM: .*Example: SMTP_URL=smtp:\/\/\S+$/],
    ['a Twilio sender without the account', { TWILIO_FROM: '+14155550100' }, 'TWILIO_ACCOUNT_SID', /^TWILIO_ACCOUNT_SID is required .*Example: TWILIO_ACCOUNT_SID=AC[0-9a-f]{32}$/],
    ['a Twilio account without its token', { TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID, TWILIO_FROM: '+14155550100' }, 'TWILIO_AUTH_TOKEN', /^TWILIO_AUTH_TOKEN is required with TWILIO_ACCOUNT_SID: .*Example: TWILIO_AUTH_TOKEN=\S+$/],
    ['a Twilio account without a sender', { TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TWILIO.TWILIO_AUTH_TOKEN }, 'TWILIO_MESSAGING_SERVICE_SID', /^TWILIO_MESSAGING_SERVICE_SID is required with TWILIO_ACCOUNT_SID, or TWILIO_FROM: .*Example: TWILIO_MESSAGING_SERVICE_SID=MG[0-9a-f]{32}$/],
    ['a Twilio account with two senders', { ...TWILIO, TWILIO_MESSAGING_SERVICE_SID: `MG${'b'.repeat(32)}` }, 'TWILIO_FROM', /^TWILIO_MESSAGING_SERVICE_SID and TWILIO_FROM are both set: set one/],
  ])('a half-configured transport (%s) does not start, in any environment, naming what is missing', (_name, env, variable, line) => {
    for (const nodeEnv of ['development', 'production']) {
      const error = catchConfigError({ ...(nodeEnv === 'production' ? { ...PRODUCTION, SMTP_URL: undefined, MAIL_FROM: undefined } : {}), NODE_ENV: nodeEnv, ...env });
      expect(error.message).not.toContain('\n');
      expect(error.message).toMatch(line);
      expect(error.details.map((d) => d.path)).toEqual([variable]);
    }
  });

  test.each([
    ['SMTP_URL', 'mail.example.com:587', /SMTP_URL="mail\.example\.com:587" is invalid: must be an smtp:\/\/ \(STARTTLS\) or smtps:\/\/ \(TLS\) URL with a host\. Example: SMTP_URL=/],
    ['MAIL_FROM', 'support', /MAIL_FROM="support" is invalid: must be an address, optionally with a name/],
    ['TWILIO_ACCOUNT_SID', 'SK123', /TWILIO_ACCOUNT_SID="SK123" is invalid: must be AC followed by 32 hex digits/],
    ['TWILIO_FROM', '(415) 555-0100', /TWILIO_FROM=.* is invalid: must be a phone number in E\.164 form/],
  ])('a malformed %s is refused naming the variable and an example', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(message);
  });

  test('the configured transports are read together: email, SMS by number or by Messaging Service', () => {
    expect(notificationTransports(loadConfig({}))).toEqual({ email: null, sms: null });
    expect(notificationTransports(loadConfig({ SMTP_URL: PRODUCTION.SMTP_URL, MAIL_FROM: PRODUCTION.MAIL_FROM, ...TWILIO }))).toEqual({
      email: { url: PRODUCTION.SMTP_URL, from: PRODUCTION.MAIL_FROM },
      sms: { accountSid: TWILIO.TWILIO_ACCOUNT_SID, authToken: TWILIO.TWILIO_AUTH_TOKEN, sender: { kind: 'number', from: '+14155550100' } },
    });
    const service = `MG${'b'.repeat(32)}`;
    expect(notificationTransports(loadConfig({ ...TWILIO, TWILIO_FROM: undefined, TWILIO_MESSAGING_SERVICE_SID: service })).sms?.sender).toEqual({ kind: 'messaging_service', sid: service });
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
