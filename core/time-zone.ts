import { z } from 'zod';

/** `Area/Location` (or `UTC`): the shape of an IANA name, so offsets and abbreviations are refused. */
const IANA_SHAPE = /^(UTC|[A-Za-z][A-Za-z_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$/;

/** Whether `zone` is an IANA time zone this runtime knows (e.g. `America/Los_Angeles`, `Europe/Berlin`). */
export function isIanaTimeZone(zone: string): boolean {
  if (zone.length > 64 || !IANA_SHAPE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TIME_ZONE_HINT = 'must be an IANA time zone such as America/Los_Angeles or Europe/Berlin';

/** An IANA time zone name, validated against the runtime's tz database. */
export const TimeZoneSchema = z.string().refine(isIanaTimeZone, TIME_ZONE_HINT);
