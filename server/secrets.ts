import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../core/config.js';
import { SwitchboardError } from '../core/errors.js';
import { parseJson } from '../core/parse-json.js';

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
  const stored = await readDevSecrets(file);
  let dev: z.infer<typeof DevSecretsSchema>;
  if (stored === null) {
    dev = { sessionSecret: randomBytes(32).toString('base64url'), adminToken: randomBytes(24).toString('base64url') };
    await mkdir(config.DATA_DIR, { recursive: true });
    // Written whole, then linked into place: an instance starting beside this one on the same
    // DATA_DIR never reads half a file, and the first one's secrets win.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(draft, JSON.stringify(dev, null, 2), { mode: 0o600 });
    try {
      await link(draft, file);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      dev = (await readDevSecrets(file)) ?? dev;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
  } else {
    dev = stored;
  }
  return {
    sessionSecret: config.SESSION_SECRET ?? dev.sessionSecret,
    previousSessionSecrets: previousSecrets(config),
    adminToken: config.ADMIN_TOKEN ?? dev.adminToken,
    generatedAdminToken: config.ADMIN_TOKEN === undefined,
  };
}

/**
 * The generated secrets, or null when there is no file yet. A file that is there but broken stops
 * the start with its path and the fix: generating new ones over it would silently end every
 * session and lose what else it keeps (the demo agents' passwords).
 */
async function readDevSecrets(file: string): Promise<z.infer<typeof DevSecretsSchema> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
  const json = parseJson(text);
  const parsed = DevSecretsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SwitchboardError('SB_ERR_CONFIG', `${file} is not valid: repair it, or delete it to generate new secrets (web-chat sessions and the demo agents' passwords then change)`, [
    { path: file, message: json === undefined || issue === undefined ? 'is not valid JSON' : `${issue.path.join('.') || 'the file'}: ${issue.message}` },
  ]);
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function previousSecrets(config: Config): string[] {
  return (config.SESSION_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
