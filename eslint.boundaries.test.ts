import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The project's own lint config on small sources placed (virtually) in a folder: what
 * `npm run lint` would say about such a file. Imports resolve against the real tree.
 */
describe('module boundaries in npm run lint', () => {
  let eslint: ESLint;
  beforeAll(() => {
    // The virtual files are on no tsconfig's disk, so the project service cannot type them; the
    // boundary rules need no types, and the type-aware rules are checked on the real tree.
    eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
  });

  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
  };

  test.each([
    { rule: 'core imports another folder', file: 'core/fixture.ts', code: `import type { OrderDetails } from '../db/orders.js';\nexport type X = OrderDetails;\n`, says: /core imports nothing/ },
    { rule: 'core imports the bot', file: 'core/fixture.ts', code: `export { IdentityGate } from '../bots/identity-gate.js';\n`, says: /core imports nothing/ },
    { rule: 'a channel imports the turn', file: 'channels/webchat/fixture.ts', code: `import type { TurnProcessor } from '../../bots/turn.js';\nexport type T = TurnProcessor;\n`, says: /channels reach the rest only through core/ },
    { rule: 'a channel imports the database', file: 'channels/outbox/fixture.ts', code: `import type { Database } from '../../db/schema.js';\nexport type D = Database;\n`, says: /channels reach the rest only through core/ },
    { rule: 'a channel imports the server', file: 'channels/webchat/fixture.ts', code: `import { escapeHtml } from '../../server/html.js';\nexport const e = escapeHtml;\n`, says: /channels reach the rest only through core/ },
    { rule: 'a flow opens the database', file: 'bots/flows/fixture.ts', code: `import { openDatabase } from '../../db/connection.js';\nexport const o = openDatabase;\n`, says: /flows never open or receive the database/ },
    { rule: 'a returns step takes a Kysely handle', file: 'bots/returns/fixture.ts', code: `import type { Kysely } from 'kysely';\nexport type K = Kysely<unknown>;\n`, says: /flows never take a Kysely handle/ },
    { rule: 'a troubleshooting step takes a Kysely handle', file: 'bots/troubleshooting/fixture.ts', code: `import type { Kysely } from 'kysely';\nexport type K = Kysely<unknown>;\n`, says: /flows never take a Kysely handle/ },
    { rule: 'a flow builds its own VerifiedCustomer', file: 'bots/flows/fixture.ts', code: `import { VerifiedCustomer } from '../verified-customer.js';\nexport const make = (sources: ConstructorParameters<typeof VerifiedCustomer>[0]) => new VerifiedCustomer(sources, 'C1002');\n`, says: /Only the identity gate builds a VerifiedCustomer/ },
  ])('refuses: $rule', async ({ file, code, says }) => {
    const messages = await lint(file, code);
    expect(messages).toContainEqual({ rule: expect.stringMatching(/^(boundaries\/dependencies|no-restricted-syntax)$/) as string, message: expect.stringMatching(says) as string });
  });

  test.each([
    { what: 'core using packages and itself', file: 'core/fixture.ts', code: `import { z } from 'zod';\nimport type { ChannelName } from './message.js';\nexport const s: z.ZodType<ChannelName> = z.enum(['webchat', 'sms', 'whatsapp', 'teams', 'email']);\n` },
    { what: 'a channel using core', file: 'channels/webchat/fixture.ts', code: `import type { InboundTurns } from '../../core/turn-outcome.js';\nimport { webchatTopic } from './sender.js';\nexport type T = InboundTurns;\nexport const t = webchatTopic;\n` },
    { what: 'a flow using the gate, the verified customer and record types', file: 'bots/flows/fixture.ts', code: `import type { OrderDetails } from '../../db/orders.js';\nimport type { VerifiedCustomer } from '../verified-customer.js';\nexport const first = async (c: VerifiedCustomer): Promise<OrderDetails | null> => c.order('100234');\n` },
    { what: 'the server wiring everything', file: 'server/fixture.ts', code: `import { openDatabase } from '../db/connection.js';\nimport { webchatRouter } from '../channels/webchat/routes.js';\nexport const wiring = { openDatabase, webchatRouter };\n` },
  ])('allows: $what', async ({ file, code }) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
