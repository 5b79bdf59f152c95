import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../core/config.js';

const DevSecretsSchema = z.object({ sessionSecret: z.string().min(32), adminToken: z.string().min(24) });

export interface Secrets {
  sessionSecret: string;
  /** SESSION_SECRET_PREVIOUS: earlier secrets whose session tokens are still accepted (rotation). */
  previousSessionSecrets: string[];
  /** null: the admin API is off (production without ADMIN_TOKEN). */
  adminToken: string | null;
  generatedAdminToken: boolean;
}

/**
 * Secrets from the environment; outside production, missing ones are generated once and kept
 * in DATA_DIR/secrets.json (mode 0600) so sessions survive a restart.
 */
export async function resolveSecrets(config: Config): Promise<Secrets> {
  if (config.NODE_ENV === 'production') {
    return {
      sessionSecret: config.SESSION_SECRET as string,
      previousSessionSecrets: previousSecrets(config),
      adminToken: config.ADMIN_TOKEN ?? null,
      generatedAdminToken: false,
    };
  }
  const file = path.join(config.DATA_DIR, 'secrets.json');
  let dev: z.infer<typeof DevSecretsSchema>;
  try {
    dev = DevSecretsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    dev = { sessionSecret: randomBytes(32).toString('base64url'), adminToken: randomBytes(24).toString('base64url') };
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(dev, null, 2), { mode: 0o600 });
  }
  return {
    sessionSecret: config.SESSION_SECRET ?? dev.sessionSecret,
    previousSessionSecrets: previousSecrets(config),
    adminToken: config.ADMIN_TOKEN ?? dev.adminToken,
    generatedAdminToken: config.ADMIN_TOKEN === undefined,
  };
}

function previousSecrets(config: Config): string[] {
  return (config.SESSION_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
