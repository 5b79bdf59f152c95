import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './build.js';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where Node would find `name` from the package at `from` (a lock key), or undefined when the lock has no entry. */
function resolveInLock(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('node_modules/');
    base = cut <= 0 ? '' : base.slice(0, cut - 1);
  }
}

// npm omits other platforms' optional packages when it writes a lock over an existing node_modules
// (npm/cli#4828); on another OS or CPU `npm ci` then refuses the lock and `npm install` rewrites it.
test('the lock file records every optional package of every platform, so npm ci accepts it anywhere', async () => {
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
  expect(lock.lockfileVersion).toBe(3);
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (resolveInLock(lock, key, name) === undefined) missing.push(`${key || '(root)'} → ${name}`);
    }
  }
  expect(missing).toEqual([]);
});

test('the lock file was written for this package.json: same dependencies, same ranges', async () => {
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as LockEntry;
  const root = lock.packages[''];
  expect(root?.dependencies).toEqual(manifest.dependencies);
  expect(root?.devDependencies).toEqual(manifest.devDependencies);
});
