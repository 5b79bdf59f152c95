import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { validateProfile } from '../core/profile-fields.js';
import { startService } from '../server/service.js';
import { createLogger } from '../server/logger.js';
import { DEFAULT_PROFILE_FIELDS_FILE, loadProfileFields, parseProfileFields } from './profile-fields-file.js';

const shipped = await readFile(DEFAULT_PROFILE_FIELDS_FILE, 'utf8');
const config = await loadProfileFields();

describe('the profile fields file', () => {
  test('the shipped file: the name mandatory, an email or a phone, the account ID in its format', () => {
    expect(config.fields.find((f) => f.key === 'name')).toMatchObject({ type: 'text', mandatory: true });
    expect(config.fields.find((f) => f.key === 'accountId')).toMatchObject({ type: 'format', pattern: 'A\\d{6}', hint: 'must look like A123456' });
    expect(config.oneOf).toEqual([{ fields: ['email', 'phone'], message: 'give an email or a phone number' }]);
    expect(config.phoneRegion).toBe('US');
  });

  test.each([
    ['a field type that does not exist', (s: string) => s.replace('type: date', 'type: birthday'), 'fields[5].type'],
    ['a format without its hint', (s: string) => s.replace('    hint: must look like A123456\n', ''), 'fields[3].hint'],
    ['a pattern that is no regular expression', (s: string) => s.replace("pattern: 'A\\d{6}'", "pattern: 'A(\\d{6}'"), 'fields[3].pattern'],
    ['a name that is not mandatory', (s: string) => s.replace('    mandatory: true\n', ''), 'fields'],
    ['a dropdown option no channel has', (s: string) => s.replace('value: webchat', 'value: fax'), 'fields[4].options[3].value'],
    ['a oneOf naming an unknown field', (s: string) => s.replace('fields: [email, phone]', 'fields: [email, mobile]'), 'oneOf[0].fields[1]'],
    ['a field configured twice', (s: string) => s.replace('key: company', 'key: email'), 'fields[6].key'],
    ['a key nobody configured', (s: string) => `${s}\nlayout: two-columns\n`, '(root)'],
  ])('%s stops the start, naming the file, the field and the fix', (_what, edit, field) => {
    let error: unknown;
    try {
      parseProfileFields(edit(shipped), '/etc/switchboard/profile-fields.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'SB_ERR_CONFIG' });
    const { message, details } = error as { message: string; details: Array<{ path: string }> };
    expect(message).toContain('/etc/switchboard/profile-fields.yaml');
    expect(message).toContain('PROFILE_FIELDS_FILE');
    expect(details.map((d) => d.path)).toContain(`/etc/switchboard/profile-fields.yaml:${field}`);
  });

  test('YAML that is not plain data is refused with its line', () => {
    expect(() => parseProfileFields('fields: !!js/function "x"\n', 'f.yaml')).toThrow(/Profile fields f\.yaml is not valid YAML: line 1/);
  });

  test('a service whose PROFILE_FIELDS_FILE is invalid does not start, and says why', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sb-fields-'));
    try {
      const file = path.join(dir, 'fields.yaml');
      await writeFile(file, shipped.replace('type: checkbox', 'type: toggle'));
      const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', NODE_ENV: 'test', PROFILE_FIELDS_FILE: file };
      await expect(startService(loadConfig(env), { log: createLogger('silent') })).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringContaining(file) as unknown as string });
      await expect(startService(loadConfig({ ...env, PROFILE_FIELDS_FILE: path.join(dir, 'missing.yaml') }), { log: createLogger('silent') })).rejects.toThrow(/PROFILE_FIELDS_FILE=.*missing\.yaml.* can't be read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('validating a profile against the fields', () => {
  const valid = { name: 'Ada Byron', email: 'ada@example.org' };
  test.each([
    ['a name of spaces', { ...valid, name: '   ' }, 'fields.name', 'is required'],
    ['an email without a domain', { ...valid, email: 'ada@' }, 'fields.email', 'must be an email address like name@example.com'],
    ['a phone number no country has', { ...valid, phone: '+1 000 555 0101' }, 'fields.phone', 'must be a phone number, with the country code if it is not from here'],
    ['an account ID of the wrong shape', { ...valid, accountId: 'A12345' }, 'fields.accountId', 'must look like A123456'],
    ['an account ID with more around it', { ...valid, accountId: 'xA123456' }, 'fields.accountId', 'must look like A123456'],
    ['a date that is not in the calendar', { ...valid, dateOfBirth: '2001-02-29' }, 'fields.dateOfBirth', 'must be a date (YYYY-MM-DD)'],
    ['a checkbox given as text', { ...valid, marketingConsent: 'yes' }, 'fields.marketingConsent', 'must be true or false'],
    ['text where a name belongs given as a number', { ...valid, name: 42 }, 'fields.name', 'must be text'],
  ])('%s is refused on that field', (_what, input, path, message) => {
    expect(validateProfile(config, input)).toEqual({ ok: false, problems: [{ path, field: path.slice('fields.'.length), message }] });
  });

  test('values come out normalized, and empty optional fields are left out', () => {
    expect(validateProfile(config, { name: ' Ada Byron ', email: 'ADA@Example.org', phone: '(415) 555-0101', accountId: 'A123456', dateOfBirth: '', marketingConsent: false })).toEqual({
      ok: true,
      values: { name: 'Ada Byron', email: 'ada@example.org', phone: '+14155550101', accountId: 'A123456', marketingConsent: false },
    });
  });
});
