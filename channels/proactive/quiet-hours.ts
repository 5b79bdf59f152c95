/**
 * Quiet hours for proactive notices (PROACTIVE_QUIET_HOURS, e.g. `21:00-08:00`, in the shop's
 * time zone): a notice due inside them is held until they end. A window may wrap midnight.
 */
export interface QuietHours {
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export function parseQuietHours(value: string | undefined, timeZone: string): QuietHours | null {
  if (value === undefined) return null;
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(value);
  if (match === null) throw new Error(`quiet hours ${JSON.stringify(value)} must be HH:MM-HH:MM`);
  const [, sh, sm, eh, em] = match.map(Number) as [number, number, number, number, number];
  const startMinute = sh * 60 + sm;
  const endMinute = eh * 60 + em;
  return startMinute === endMinute ? null : { startMinute, endMinute, timeZone };
}

/** The wall-clock minute of the day at `at` in `timeZone`. */
function localMinute(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return hour * 60 + minute;
}

function inside(quiet: QuietHours, minute: number): boolean {
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}

/**
 * When a notice due at `at` may go out: `at` itself outside quiet hours, else the first minute
 * after they end (walked minute by minute from the local clock, so a daylight-saving change in
 * between is counted as the zone counts it).
 */
export function nextSendTime(quiet: QuietHours | null, at: Date): Date {
  if (quiet === null || !inside(quiet, localMinute(at, quiet.timeZone))) return at;
  const start = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  // At most a day of quiet: 25 hours covers a daylight-saving day.
  for (let step = 1; step <= 25 * 60; step += 1) {
    const candidate = new Date(start.getTime() + step * 60_000);
    if (!inside(quiet, localMinute(candidate, quiet.timeZone))) return candidate;
  }
  return at;
}
