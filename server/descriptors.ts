import { readdir, readFile } from 'node:fs/promises';

/** How many file descriptors the process holds and may hold (its soft limit). */
export interface DescriptorUsage {
  open: number;
  /** The soft "Max open files" limit; null when unlimited. */
  limit: number | null;
}

/** Reads descriptor usage; null where it can't be known (no /proc: macOS, Windows). */
export type DescriptorReader = () => Promise<DescriptorUsage | null>;

/** Linux: entries of /proc/self/fd against the soft limit in /proc/self/limits. */
export const readProcDescriptors: DescriptorReader = async () => {
  let entries: string[];
  let limits: string;
  try {
    [entries, limits] = await Promise.all([readdir('/proc/self/fd'), readFile('/proc/self/limits', 'utf8')]);
  } catch {
    return null;
  }
  // readdir itself holds one descriptor on the directory while it lists it.
  return { open: Math.max(0, entries.length - 1), limit: parseOpenFilesLimit(limits) };
};

/** The soft limit from the text of /proc/<pid>/limits ("Max open files  1024  4096  files"). */
export function parseOpenFilesLimit(limits: string): number | null {
  const match = /^Max open files\s+(\S+)/m.exec(limits);
  if (!match?.[1] || match[1] === 'unlimited') return null;
  const soft = Number(match[1]);
  return Number.isSafeInteger(soft) && soft > 0 ? soft : null;
}
