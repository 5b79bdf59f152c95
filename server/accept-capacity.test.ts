import http from 'node:http';
import { describe, expect, test } from 'vitest';
import { AcceptCapacity } from './accept-capacity.js';
import { parseOpenFilesLimit, readProcDescriptors, type DescriptorUsage } from './descriptors.js';
import { createLogger } from './logger.js';

const log = createLogger('silent');

function capacity(usage: DescriptorUsage | null, clock = { now: 0 }): AcceptCapacity {
  return new AcceptCapacity({ readDescriptors: async () => usage, log, now: () => clock.now });
}

describe('accept capacity', () => {
  test.each([
    { name: 'plenty of descriptors left', usage: { open: 100, limit: 1024 }, ok: true },
    { name: 'at 90 % of the limit', usage: { open: 922, limit: 1024 }, ok: false },
    { name: 'every descriptor in use', usage: { open: 1024, limit: 1024 }, ok: false },
    { name: 'no limit', usage: { open: 50_000, limit: null }, ok: true },
    { name: 'usage unknown (no /proc)', usage: null, ok: true },
  ])('$name → ok: $ok', async ({ usage, ok }) => {
    const status = await capacity(usage).check();
    expect(status.ok).toBe(ok);
    if (!status.ok) expect(status.problem).toBe('descriptors-exhausted');
  });

  test('an accept error fails the check for a while, then it recovers; other server errors do not', async () => {
    const clock = { now: 1_000_000 };
    const checker = capacity({ open: 10, limit: 1024 }, clock);
    const server = http.createServer();
    checker.watch(server);
    // What net.Server emits when accept() fails; without a listener it would be thrown.
    server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' }));
    expect(await checker.check()).toEqual({ ok: false, problem: 'accept-failing' });
    clock.now += 60_000;
    expect(await checker.check()).toEqual({ ok: true });
    server.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    expect(await checker.check()).toEqual({ ok: true });
  });
});

describe('descriptor usage from /proc', () => {
  test.each([
    ['Max open files            1024                 4096                 files     ', 1024],
    ['Max open files            unlimited            unlimited            files     ', null],
    ['Max processes             63704                63704                processes ', null],
  ])('reads the soft limit of %j', (line, expected) => {
    expect(parseOpenFilesLimit(`Limit                     Soft Limit           Hard Limit           Units     \n${line}\n`)).toBe(expected);
  });

  test('counts this process’s descriptors against its soft limit', async () => {
    const usage = await readProcDescriptors();
    expect(usage).not.toBeNull();
    expect(usage!.open).toBeGreaterThan(2);
    expect(usage!.limit).toBeGreaterThan(usage!.open);
  });
});
