import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AccountEmailSchema, CapacitySchema, NewPasswordSchema, SkillNameSchema, TeamNameSchema, UserRoleSchema } from '../core/agent-api.js';
import { loadConfig } from '../core/config.js';
import { isSwitchboardError, SwitchboardError } from '../core/errors.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { UserRepository } from '../db/users.js';
import { generatePassword, hashPassword } from './agent/passwords.js';

const USAGE = `Usage: npm run users -- <command>

Commands:
  add EMAIL --role ROLE [--team NAME]... [--skill SKILL]... [--capacity N] [--name "Full Name"]
                     Create a user. ROLE: agent, supervisor, admin or editor. Each --team is
                     created if it does not exist. --skill: what routing may match (vip,
                     incident, …); --capacity: conversations at once, 0–50 (default 2). The
                     password is read from standard input when it is piped
                     (echo "$PW" | npm run users -- add ...); otherwise a one-time password is
                     generated and printed once.
  set EMAIL [--skill SKILL]... [--capacity N]
                     Change what routing may give a user: --skill replaces their skills (--skill ""
                     clears them), --capacity their capacity.
  password EMAIL     Set a new password (standard input, or a printed one-time password).

Options:
  -h, --help         Show this help.

Exit status: 0 done, 2 a bad command, flag or password (the message names it and the fix), 1 anything else
(an email that is taken, an unknown user, the database).

The database is the server's: DATABASE_URL if set, else embedded PGlite at \${DATA_DIR}/pgdata
(DATA_DIR defaults to ./data). Stop a server using the same PGlite directory first.`;

/** A whole number as typed on the command line ("3"); anything else is left for the schema to refuse. */
const CapacityFlag = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), CapacitySchema.optional());

const AddSchema = z.object({
  email: AccountEmailSchema,
  role: UserRoleSchema,
  teams: z.array(TeamNameSchema),
  skills: z.array(SkillNameSchema).max(50),
  capacity: CapacityFlag,
  name: z.string().trim().min(1).max(100).optional(),
});

const SetSchema = z
  .object({ email: AccountEmailSchema, skills: z.array(SkillNameSchema).max(50).optional(), capacity: CapacityFlag })
  .refine((s) => s.skills !== undefined || s.capacity !== undefined, { message: 'name what to change: --skill SKILL (repeat it for more) or --capacity N', path: ['skills'] });

/** How each field is typed on the command line, so an error names what the user typed. */
const FLAGS: Record<string, string> = { email: 'EMAIL', role: '--role', teams: '--team', skills: '--skill', capacity: '--capacity', name: '--name', password: 'password' };

/** The fix for each flag, said after the value's own complaint. */
const FIXES: Record<string, string> = {
  role: 'use agent, supervisor, admin or editor',
  capacity: 'give a whole number from 0 to 50, such as --capacity 3',
};

/** A validation failure as the CLI reports it: each detail's path is the flag (`--team "Team Rocket!"`). */
function flagError(message: string, error: z.ZodError, given: Record<string, unknown>): SwitchboardError {
  const details = error.issues.map((issue) => {
    const [field, index] = issue.path;
    const key = typeof field === 'string' ? field : 'arguments';
    const flag = FLAGS[key] ?? key;
    const value = given[key];
    const typed = typeof index === 'number' && Array.isArray(value) ? value[index] : Array.isArray(value) ? undefined : value;
    const fix = FIXES[key];
    return { path: typed === undefined ? flag : `${flag} ${JSON.stringify(typed)}`, message: fix !== undefined ? `${issue.message}: ${fix}` : issue.message };
  });
  return new SwitchboardError('SB_ERR_VALIDATION', message, details);
}

/** `--skill ""` (clears) is no skill. */
const skillsOf = (values: string[] | undefined): string[] | undefined => values?.filter((s) => s.trim() !== '');

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    // node:util's parseArgs names the unknown option or the missing value.
    process.stderr.write(`error SB_ERR_VALIDATION: ${error instanceof Error ? error.message : String(error)} (see npm run users -- --help)\n`);
    return 2;
  }
  const { values, positionals } = args;
  const [command, email, ...rest] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  try {
    if (rest.length > 0) throw new SwitchboardError('SB_ERR_VALIDATION', `Too many arguments for "${command}": ${rest.join(' ')} (quote a --name with spaces)`);
    switch (command) {
      case 'add': {
        const given = { email, role: values.role, teams: values.team ?? [], skills: skillsOf(values.skill) ?? [], capacity: values.capacity, name: values.name };
        const parsed = AddSchema.safeParse(given);
        if (!parsed.success) throw flagError('The user is invalid', parsed.error, given);
        const { password, generated } = await passwordFromStdin();
        const user = parsed.data;
        return await withDatabase(async (handle) => {
          const created = await new UserRepository(handle.db).create({
            email: user.email,
            name: user.name ?? user.email.split('@')[0] ?? user.email,
            role: user.role,
            teams: user.teams,
            passwordHash: await hashPassword(password),
            routing: { skills: user.skills, ...(user.capacity !== undefined ? { capacity: user.capacity } : {}) },
          });
          const routing = [...(user.skills.length > 0 ? [`skills ${[...new Set(user.skills)].sort().join(', ')}`] : []), ...(user.capacity !== undefined ? [`capacity ${user.capacity}`] : [])];
          process.stdout.write(
            `Created ${created.role} ${created.email}${created.teams.length > 0 ? ` in ${created.teams.join(', ')}` : ''}${routing.length > 0 ? ` (${routing.join('; ')})` : ''}.\n`,
          );
          if (generated) process.stdout.write(`One-time password (shown once; sign in at /agent): ${password}\n`);
          return 0;
        });
      }
      case 'set': {
        const given = { email, skills: skillsOf(values.skill), capacity: values.capacity };
        const parsed = SetSchema.safeParse(given);
        if (!parsed.success) throw flagError('The change is invalid', parsed.error, given);
        const change = parsed.data;
        return await withDatabase(async (handle) => {
          const users = new UserRepository(handle.db);
          const found = await users.byEmail(change.email);
          if (found === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No user ${change.email}: create them with npm run users -- add`);
          await users.setRoutingSettings(found.profile.id, { ...(change.skills !== undefined ? { skills: change.skills } : {}), ...(change.capacity !== undefined ? { capacity: change.capacity } : {}) });
          const now = await users.routingSettings(found.profile.id);
          process.stdout.write(`Changed ${change.email}: skills ${now?.skills.join(', ') || '(none)'}; capacity ${now?.capacity ?? '?'}.\n`);
          return 0;
        });
      }
      case 'password': {
        const address = AccountEmailSchema.safeParse(email);
        if (!address.success) throw flagError('The email is invalid', address.error, { email });
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
        throw new SwitchboardError('SB_ERR_VALIDATION', `Unknown command "${command}": use add, set or password (npm run users -- --help)`);
    }
  } catch (error) {
    process.stderr.write(formatError(error));
    return isSwitchboardError(error) && error.code === 'SB_ERR_VALIDATION' ? 2 : 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      role: { type: 'string' },
      team: { type: 'string', multiple: true },
      skill: { type: 'string', multiple: true },
      capacity: { type: 'string' },
      name: { type: 'string' },
    },
  });
}

/** The first line of piped standard input, or a generated password when stdin is a terminal or empty. */
async function passwordFromStdin(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY === true) return { password: generatePassword(), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') return { password: generatePassword(), generated: true };
  const parsed = NewPasswordSchema.safeParse(line);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The password is invalid', parsed.error.issues.map((i) => ({ path: 'password', message: `${i.message}: pipe a longer one, or pipe nothing for a one-time password` })));
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
