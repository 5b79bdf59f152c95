import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserRoleSchema } from '../../core/agent-api.js';
import type { UserRepository } from '../../db/users.js';
import { parseJson } from '../../core/parse-json.js';
import { generatePassword, hashPassword } from './passwords.js';

export const DemoAgentSchema = z.object({ email: z.string(), password: z.string(), role: UserRoleSchema, team: z.string() });
export type DemoAgent = z.infer<typeof DemoAgentSchema>;

/** The demo's people (docs/agents.md): a supervisor and two agents in different teams. */
export const DEMO_AGENTS: ReadonlyArray<Omit<DemoAgent, 'password'> & { name: string }> = [
  { email: 'supervisor@voltline.example', name: 'Morgan (supervisor)', role: 'supervisor', team: 'support-leads' },
  { email: 'sam@voltline.example', name: 'Sam', role: 'agent', team: 'returns' },
  { email: 'alex@voltline.example', name: 'Alex', role: 'agent', team: 'technical' },
];

/**
 * With SEED_DEMO: creates the demo agents once, with passwords generated for this installation
 * and written to DATA_DIR/secrets.json under `demoAgents` (mode 0600, beside the other generated
 * secrets). Returns the accounts as the file lists them, for the start banner.
 */
export async function seedDemoAgents(users: Pick<UserRepository, 'createAllOnce'>, dataDir: string): Promise<DemoAgent[]> {
  const file = path.join(dataDir, 'secrets.json');
  const accounts = DEMO_AGENTS.map((a) => ({ ...a, password: generatePassword() }));
  const created = await users.createAllOnce(
    await Promise.all(accounts.map(async (a) => ({ email: a.email, name: a.name, role: a.role, teams: [a.team], passwordHash: await hashPassword(a.password) }))),
  );
  const secrets = await readSecrets(file);
  if (!created) return DemoAgentSchema.array().safeParse(secrets.demoAgents).data ?? [];
  const demoAgents: DemoAgent[] = accounts.map(({ email, password, role, team }) => ({ email, password, role, team }));
  await mkdir(dataDir, { recursive: true });
  // Written whole, then renamed over the old file: an instance starting beside this one never reads half of it.
  const draft = `${file}.${process.pid}.demo`;
  await writeFile(draft, JSON.stringify({ ...secrets, demoAgents }, null, 2), { mode: 0o600 });
  await rename(draft, file);
  return demoAgents;
}

async function readSecrets(file: string): Promise<Record<string, unknown>> {
  const parsed = z.record(z.string(), z.unknown()).safeParse(parseJson(await readFile(file, 'utf8').catch(() => '{}')));
  return parsed.success ? parsed.data : {};
}
