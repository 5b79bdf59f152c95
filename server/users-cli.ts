import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AccountEmailSchema, NewPasswordSchema, TeamNameSchema, UserRoleSchema } from '../core/agent-api.js';
import { loadConfig } from '../core/config.js';
import { detailsFromZodIssues, isSwitchboardError, SwitchboardError } from '../core/errors.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { UserRepository } from '../db/users.js';
import { generatePassword, hashPassword } from './agent/passwords.js';

const USAGE = `Usage: npm run users -- <command>

Commands:
  add EMAIL --role ROLE [--team NAME]... [--name "Display Name"]
                     Create a user. ROLE: agent, supervisor, admin or editor. Each --team is
                     created if it does not exist. The password is read from standard input
                     when it is piped (echo "$PW" | npm run users -- add ...); otherwise a
                     one-time password is generated and printed once.
  password EMAIL     Set a new password (standard input, or a printed one-time password).

Options:
  -h, --help         Show this help.

The database is the server's: DATABASE_URL if set, else embedded PGlite at \${DATA_DIR}/pgdata
(DATA_DIR defaults to ./data). Stop a server using the same PGlite directory first.`;

const AddSchema = z.object({
  email: AccountEmailSchema,
  role: UserRoleSchema,
  teams: z.array(TeamNameSchema),
  name: z.string().trim().min(1).max(100).optional(),
});

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, role: { type: 'string' }, team: { type: 'string', multiple: true }, name: { type: 'string' } },
  });
  const [command, email, ...rest] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  try {
    if (rest.length > 0) throw new SwitchboardError('SB_ERR_VALIDATION', `Too many arguments for "${command}"`);
    switch (command) {
      case 'add': {
        const parsed = AddSchema.safeParse({ email, role: values.role, teams: values.team ?? [], name: values.name });
        if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The user is invalid', detailsFromZodIssues(parsed.error.issues));
        const { password, generated } = await passwordFromStdin();
        const user = parsed.data;
        return await withDatabase(async (handle) => {
          const created = await new UserRepository(handle.db).create({
            email: user.email,
            name: user.name ?? user.email.split('@')[0] ?? user.email,
            role: user.role,
            teams: user.teams,
            passwordHash: await hashPassword(password),
          });
          process.stdout.write(`Created ${created.role} ${created.email}${created.teams.length > 0 ? ` in ${created.teams.join(', ')}` : ''}.\n`);
          if (generated) process.stdout.write(`One-time password (shown once; sign in at /agent): ${password}\n`);
          return 0;
        });
      }
      case 'password': {
        const address = AccountEmailSchema.safeParse(email);
        if (!address.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The email is invalid', detailsFromZodIssues(address.error.issues, 'email'));
        const { password, generated } = await passwordFromStdin();
        return await withDatabase(async (handle) => {
          const users = new UserRepository(handle.db);
          const found = await users.byEmail(address.data);
          if (found === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No user ${address.data}`);
          await users.setPasswordHash(found.profile.id, await hashPassword(password));
          process.stdout.write(`Changed the password of ${address.data}.\n`);
          if (generated) process.stdout.write(`One-time password (shown once): ${password}\n`);
          return 0;
        });
      }
      default:
        throw new SwitchboardError('SB_ERR_VALIDATION', `Unknown command "${command}"`);
    }
  } catch (error) {
    process.stderr.write(formatError(error));
    return 1;
  }
}

/** The first line of piped standard input, or a generated password when stdin is a terminal or empty. */
async function passwordFromStdin(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY === true) return { password: generatePassword(), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') return { password: generatePassword(), generated: true };
  const parsed = NewPasswordSchema.safeParse(line);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The password is invalid', detailsFromZodIssues(parsed.error.issues, 'password'));
  return { password: parsed.data, generated: false };
}

async function withDatabase(run: (handle: DatabaseHandle) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const handle = await openDatabase(
    config.DATABASE_URL !== undefined ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pgdata') },
  );
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

function formatError(error: unknown): string {
  if (!isSwitchboardError(error)) return `error: ${error instanceof Error ? error.message : String(error)}\n`;
  return [`error ${error.code}: ${error.message}`, ...error.details.map((d) => `  ${d.path}: ${d.message}`)].join('\n') + '\n';
}

process.exitCode = await main(process.argv.slice(2));
