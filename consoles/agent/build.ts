import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's sources: this folder (its page and `src/`) and `core/`, whose API schemas it bundles. */
export const AGENT_CONSOLE_DIR = path.dirname(fileURLToPath(import.meta.url));
const CORE_DIR = path.resolve(AGENT_CONSOLE_DIR, '../../core');
/** Build output, never committed (.gitignore `dist/`). One folder per source hash. */
const DIST_ROOT = path.join(AGENT_CONSOLE_DIR, 'dist');
/**
 * Where `npm run build` puts the console it built (scripts/build.ts). A compiled tree has no
 * sources to hash and no Vite (a dev dependency), so it serves this folder as it is.
 */
export const PREBUILT_DIR = path.join(AGENT_CONSOLE_DIR, 'prebuilt');
/** A build of other sources older than this is removed after a new build. */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

/**
 * Builds the agent console with Vite unless a build of exactly these sources exists, and returns
 * the folder to serve. `npm start` needs no build step: the first start builds (a second or so),
 * later ones reuse it. Safe with several processes starting at once (test files, two instances):
 * each builds into a private folder and renames it into place; the first rename wins.
 */
export async function buildAgentConsole(): Promise<string> {
  if (await exists(path.join(PREBUILT_DIR, 'index.html'))) return PREBUILT_DIR;
  const out = path.join(DIST_ROOT, await sourceHash());
  if (await exists(path.join(out, 'index.html'))) return out;
  await mkdir(DIST_ROOT, { recursive: true });
  const tmp = path.join(DIST_ROOT, `.tmp-${randomBytes(6).toString('hex')}`);
  // Loaded only when a build is needed: the service does not carry Vite otherwise.
  const [{ build }, { default: vue }] = await Promise.all([import('vite'), import('@vitejs/plugin-vue')]);
  try {
    await build({
      configFile: false,
      root: AGENT_CONSOLE_DIR,
      base: '/agent/',
      logLevel: 'warn',
      plugins: [vue()],
      build: {
        outDir: tmp,
        emptyOutDir: true,
        sourcemap: false,
        rollupOptions: {
          // zod's sources carry purity comments Rollup cannot place; they only cost a warning per build.
          onwarn: (warning, warn) => {
            if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
          },
        },
      },
    });
    await rename(tmp, out).catch(async (error: unknown) => {
      // Another process finished first: its build of the same sources is as good.
      if (!(await exists(path.join(out, 'index.html')))) throw error;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  await removeStaleBuilds(out);
  return out;
}

/** Builds of earlier sources, once no process started recently could still be serving them. */
async function removeStaleBuilds(current: string): Promise<void> {
  const cutoff = Date.now() - STALE_BUILD_MS;
  for (const entry of await readdir(DIST_ROOT, { withFileTypes: true })) {
    const dir = path.join(DIST_ROOT, entry.name);
    if (!entry.isDirectory() || dir === current) continue;
    const { mtimeMs } = await stat(dir).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < cutoff) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function sourceHash(): Promise<string> {
  const files = [
    path.join(AGENT_CONSOLE_DIR, 'index.html'),
    path.join(AGENT_CONSOLE_DIR, 'build.ts'),
    ...(await listFiles(path.join(AGENT_CONSOLE_DIR, 'src'))),
    ...(await listFiles(CORE_DIR)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(AGENT_CONSOLE_DIR, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && !e.name.endsWith('.test.ts')).map((e) => path.join(e.parentPath, e.name));
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
