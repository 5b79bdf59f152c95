import { z } from 'zod';

/** Days of the week as the policy file names them. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/** `HH:MM-HH:MM` (24-hour, end after start; `24:00` ends at midnight). */
const RangeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be "HH:MM-HH:MM" (24-hour), e.g. "09:00-17:30"')
  .transform((text, ctx) => {
    const [from, to] = text.split('-').map(minutesOf) as [number, number];
    if (to <= from) ctx.addIssue({ code: 'custom', message: `ends before it starts: write e.g. "09:00-17:00"` });
    return { from, to };
  });

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * When a team works: `always`, or a time zone (IANA, e.g. `America/New_York`) and each working
 * day's ranges; a day not listed is closed. SLA clocks run only inside these hours.
 */
const WeeklyHoursSchema = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. "America/New_York" or "Europe/Berlin"'),
    days: z.partialRecord(z.enum(WEEKDAYS), z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(RangeSchema))),
  })
  .refine((h) => Object.values(h.days).some((ranges) => ranges !== undefined && ranges.length > 0), 'must open on at least one day');

// Not a z.union: its error would be "Invalid input" instead of the field that is wrong.
export const BusinessHoursSchema = z.unknown().transform((value, ctx): 'always' | z.infer<typeof WeeklyHoursSchema> => {
  if (value === 'always') return 'always';
  const weekly = WeeklyHoursSchema.safeParse(value);
  if (weekly.success) return weekly.data;
  for (const issue of weekly.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
  return z.NEVER;
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday and the minute of the day (with its fraction) at `at`, on the wall clock of `zone`. */
function wallClock(at: Date, zone: string): { day: Weekday; minute: number } {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const day = (parts.weekday ?? 'Sun').slice(0, 3).toLowerCase() as Weekday;
  const ms = at.getTime() % 1000;
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) + (Number(parts.second) + ms / 1000) / 60 };
}

/**
 * The instant `minutes` working minutes after `from` in `hours`: the clock stops outside them
 * (an SLA of 2 minutes asked for at 17:59 on a Friday falls due at 09:01 on Monday). A daylight-
 * saving change inside a working range is not accounted for (they happen at night).
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours): Date {
  if (hours === 'always') return new Date(from.getTime() + minutes * MINUTE_MS);
  let cursor = from.getTime();
  let remaining = minutes;
  // Two years of closed days is a configuration no schema lets through; the bound keeps a bug finite.
  for (let guard = 0; guard < 2 * 366 * 4; guard += 1) {
    const { day, minute } = wallClock(new Date(cursor), hours.timeZone);
    const ranges = [...(hours.days[day] ?? [])].sort((a, b) => a.from - b.from);
    const open = ranges.find((r) => minute >= r.from && minute < r.to);
    if (open !== undefined) {
      const available = open.to - minute;
      if (remaining <= available) return new Date(cursor + remaining * MINUTE_MS);
      remaining -= available;
      cursor += available * MINUTE_MS;
      continue;
    }
    const next = ranges.find((r) => r.from > minute);
    if (next === undefined) {
      cursor += (DAY_MINUTES - minute) * MINUTE_MS;
      continue;
    }
    cursor += (next.from - minute) * MINUTE_MS;
    // Across a daylight-saving change the wall clock moved by an hour more or less: land on the opening.
    const landed = wallClock(new Date(cursor), hours.timeZone).minute;
    if (Math.abs(landed - next.from) >= 1) cursor += (next.from - landed) * MINUTE_MS;
  }
  throw new Error('business hours never open');
}

/** Whether `at` is inside `hours`. */
export function isOpen(at: Date, hours: BusinessHours): boolean {
  if (hours === 'always') return true;
  const { day, minute } = wallClock(at, hours.timeZone);
  return (hours.days[day] ?? []).some((r) => minute >= r.from && minute < r.to);
}
