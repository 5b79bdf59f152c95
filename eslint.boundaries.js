import boundaries from 'eslint-plugin-boundaries';

/**
 * The module boundaries the architecture relies on, checked by `npm run lint` (and by
 * lint/boundaries.test.ts on deliberate violations, so a config change can't switch them off):
 * - `core` imports no other folder of the repository: it is what everything else shares.
 * - `channels` reach the rest only through `core` (the server wires them to the bot).
 * - `consoles` (browser apps) share only `core` with the server: the API's schemas.
 * - flows (bots/flows, bots/returns, bots/troubleshooting) never see the database: no
 *   db/connection and no Kysely handle; a customer's records come through `VerifiedCustomer`.
 * Tests are outside the rules: they assemble real components across folders on purpose.
 */
export const FLOW_FOLDERS = ['bots/flows', 'bots/returns', 'bots/troubleshooting'];

const FOLDERS = ['core', 'channels', 'bots', 'db', 'server', 'handoff', 'intents', 'knowledge', 'state', 'jobs', 'consoles', 'test', 'bench', 'docs'];

export const boundariesConfig = [
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { boundaries },
    settings: {
      // Sources import `./x.js` for `./x.ts` (NodeNext); the TypeScript resolver maps them.
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/include': ['**/*.ts'],
      // First match wins: the flow folders before the `bots` they sit in.
      'boundaries/elements': [
        { type: 'flows', pattern: FLOW_FOLDERS },
        ...FOLDERS.map((folder) => ({ type: folder, pattern: folder })),
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          // External packages too, for the Kysely rule; the others name local folders only.
          checkAllOrigins: true,
          policies: [
            {
              from: { element: { type: 'core' } },
              disallow: { to: { element: { type: '!core' } } },
              message: 'core imports nothing from the rest of the repository: move what it needs into core, or turn it into an interface here',
            },
            {
              from: { element: { type: 'channels' } },
              disallow: { to: { element: { type: '!{core,channels}' } } },
              message: 'channels reach the rest only through core: declare an interface (in core, or beside its consumer) and let server/ wire the implementation',
            },
            {
              from: { element: { type: 'consoles' } },
              disallow: { to: { element: { type: '!{core,consoles}' } } },
              message: 'consoles are browser apps: they share only core (the API schemas) with the server and talk to it over /api',
            },
            {
              from: { element: { type: 'flows' } },
              disallow: { to: { file: { path: 'db/connection.ts' } } },
              message: 'flows never open or receive the database: ask the VerifiedCustomer from the identity gate',
            },
            {
              from: { element: { type: 'flows' } },
              disallow: { to: { module: { origin: 'external', source: 'kysely' } } },
              message: 'flows never take a Kysely handle: ask the VerifiedCustomer from the identity gate, or take a narrow interface',
            },
          ],
        },
      ],
    },
  },
  {
    // A VerifiedCustomer is a capability: only the gate, having verified the customer, makes one.
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', 'bots/identity-gate.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='VerifiedCustomer']", message: 'Only the identity gate builds a VerifiedCustomer: use the one IdentityGate.check or alreadyVerified returns' },
      ],
    },
  },
];
