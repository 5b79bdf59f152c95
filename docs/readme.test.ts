import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { CONFIG_VARIABLES } from '../core/config.js';

describe('README', () => {
  test('documents every configuration variable and the two commands', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(CONFIG_VARIABLES)) expect(readme, name).toContain(`| \`${name}\` |`);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
