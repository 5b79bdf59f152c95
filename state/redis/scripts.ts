import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';
import type { RedisConnection } from './connection.js';

/** A Lua script sent by SHA, and in full only when Redis hasn't cached it yet (after a restart). */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export async function runScript(client: RedisConnection, { source, sha }: Script, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await client.evalSha(sha, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await client.eval(source, { keys, arguments: args });
  }
}

/** Deletes the lock only if we still hold it, then wakes the waiters on every server. */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0`);

/** The watchdog: pushes the expiry out only if we still hold the lock. */
export const EXTEND_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/** Version and value live in one hash so they can never be seen apart. -1 = stale version. */
export const SET_SNAPSHOT = script(`
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return -1
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return version`);

/** Fixed window: the expiry is set by the first hit only (or repaired if it was ever lost). */
export const HIT_COUNTER = script(`
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count`);
