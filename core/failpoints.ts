/**
 * Where the crash tests kill the process, as a power cut would: with `SB_FAILPOINT=<name>` the
 * process sends itself SIGKILL when it reaches that point, so the test can restart it and check
 * that nothing was lost or done twice. Never armed when NODE_ENV=production.
 */
export type FailpointName =
  /** A change with effects (a code, a case) is decided, not yet committed. */
  | 'before-commit-with-effects'
  /** That change is committed; nothing after the commit (snapshot, announce, reply) has happened. */
  | 'after-commit-with-effects'
  /** An effect worker handed a notification to the transport and has not marked it done. */
  | 'after-effect-sent';

const armed = process.env.NODE_ENV === 'production' ? undefined : process.env.SB_FAILPOINT;

export function failpoint(name: FailpointName): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
