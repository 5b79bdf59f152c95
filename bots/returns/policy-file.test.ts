import { describe, expect, test } from 'vitest';
import { MAX_RETURN_POLICY_BYTES, parseReturnPolicy } from './policy-file.js';

const pwned = (): unknown => (globalThis as { __sb_pwned?: unknown }).__sb_pwned;
const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');

describe('a return policy file is YAML data and nothing else', () => {
  test.each([
    ['a JavaScript function tag', 'returnAddress: [Returns]\nlabelValidDays: !!js/function "function () { globalThis.__sb_pwned = true; return 14 }"\n', 'policy.yaml:2', /tag !!js\/function is not allowed/],
    ['a custom tag', 'returnAddress: !include /etc/passwd\n', 'policy.yaml:1', /tag !include is not allowed/],
    ['an alias expansion bomb', `${bomb}\nreturnAddress: [Returns]\n`, 'policy.yaml:2', /aliases expand too far/],
    ['a __proto__ category', 'categories:\n  __proto__: { returnable: false }\nreturnAddress: [Returns]\n', 'policy.yaml:2', /__proto__ is not allowed/],
    ['a file over the size limit', `# ${'x'.repeat(MAX_RETURN_POLICY_BYTES)}\nreturnAddress: [Returns]\n`, 'policy.yaml:1', /the limit is/],
  ])('%s is refused with SB_ERR_CONFIG naming the line; nothing runs', (_name, source, path, message) => {
    let error: unknown;
    try {
      parseReturnPolicy(source, 'policy.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'SB_ERR_CONFIG', message: expect.stringMatching(/^Return policy policy\.yaml is not valid YAML: line \d+: /) });
    expect((error as { details: unknown[] }).details).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(pwned()).toBeUndefined();
    expect(({} as Record<string, unknown>).returnable).toBeUndefined();
  });

  test('merge keys are not merged: << is an unknown field', () => {
    const source = 'categories:\n  tv: &tv { windowDays: 90 }\n  laptop:\n    <<: *tv\nreturnAddress: [Returns]\n';
    expect(() => parseReturnPolicy(source, 'policy.yaml')).toThrowError(/is invalid: categories\.laptop/);
  });
});
