import { spawn } from 'node:child_process';
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAgentConsole } from '../consoles/agent/build.js';

/** The repository root: this file is `scripts/build.ts`. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The content the compiled server reads at run time, as paths relative to the repository root.
 * Every module resolves its content beside itself (`new URL('./policy.yaml', import.meta.url)`),
 * so the build copies each to the same place under the output folder, and a built tree runs with
 * the same code paths as `npm start`.
 */
export const SHIPPED_CONTENT = [
  'intents/shop',
  'knowledge/articles',
  'knowledge/troubleshooting',
  'bots/returns/policy.yaml',
  'handoff/policy.yaml',
  'handoff/canned-responses.yaml',
  'channels/meta/templates.yaml',
  'crm/profile-fields.yaml',
  'crm/case-templates.yaml',
  'channels/webchat/public',
] as const;

/** The console is built with Vite here, once, so a production install needs neither Vite nor the console's sources. */
const AGENT_CONSOLE_PREBUILT = 'consoles/agent/prebuilt';

/**
 * `npm run build`: compile the production code (tsconfig.build.json: no tests, fixtures, benchmarks
 * or tooling), copy its content, prebuild the agent console, and refuse a tree whose compiled code
 * imports a package that `npm ci --omit=dev` would not install.
 */
export async function buildProduction(outDir: string = path.join(REPO_ROOT, 'dist')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', outDir]);
  for (const item of SHIPPED_CONTENT) {
    await cp(path.join(REPO_ROOT, item), path.join(outDir, item), { recursive: true, filter: (source) => !source.endsWith('.test.ts') });
  }
  await cp(await buildAgentConsole(), path.join(outDir, AGENT_CONSOLE_PREBUILT), { recursive: true });
  // The compiled files are ES modules: Node reads that from the nearest package.json, which for a
  // tree copied elsewhere (a container image, a test's temporary folder) may be this one.
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  const strays = await devOnlyImports(outDir);
  if (strays.length > 0) {
    throw new Error(`the build imports packages that are not production dependencies (move them to "dependencies" or stop importing them):\n${strays.join('\n')}`);
  }
}

/**
 * Static imports of packages missing from package.json's `dependencies`, as `file: package` lines.
 * Dynamic `import()` is allowed: the console build loads Vite that way, only when no prebuilt console exists.
 */
export async function devOnlyImports(outDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const production = new Set(Object.keys(manifest.dependencies ?? {}));
  const found: string[] = [];
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.js') || entry.parentPath.includes(AGENT_CONSOLE_PREBUILT)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/(?:^|[;\s}])(?:from|import)\s+'([^'.][^']*)'/gm)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:')) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
      if (!production.has(name)) found.push(`${path.relative(outDir, file)}: ${name}`);
    }
  }
  return found;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: REPO_ROOT });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}`))));
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outArg = process.argv.indexOf('--out');
  const outDir = outArg > 0 && process.argv[outArg + 1] !== undefined ? path.resolve(process.argv[outArg + 1] as string) : undefined;
  buildProduction(outDir).then(
    () => process.stdout.write(`built ${path.relative(process.cwd(), outDir ?? path.join(REPO_ROOT, 'dist')) || '.'}: start it with \`npm run start:prod\`\n`),
    (error: unknown) => {
      process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
