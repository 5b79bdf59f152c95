import { expect, test } from 'vitest';
import { addBusinessMinutes, BusinessHoursSchema, isOpen } from './business-hours.js';

const weekdays = BusinessHoursSchema.parse({
  timeZone: 'America/New_York',
  days: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: ['09:00-12:00', '13:00-17:00'] },
});
const berlin = BusinessHoursSchema.parse({ timeZone: 'Europe/Berlin', days: { sat: '10:00-14:00' } });

test.each([
  ['around the clock, the time simply passes', 'always', '2026-12-05T03:00:00Z', 2, '2026-12-05T03:02:00.000Z'],
  ['inside working hours', weekdays, '2026-12-07T15:00:00Z', 30, '2026-12-07T15:30:00.000Z'],
  ['before opening, the clock starts at opening', weekdays, '2026-12-07T12:00:00Z', 2, '2026-12-07T14:02:00.000Z'],
  ['across the lunch break', weekdays, '2026-12-04T16:58:00Z', 5, '2026-12-04T18:03:00.000Z'],
  ['Friday evening to Monday morning', weekdays, '2026-12-04T21:59:00Z', 5, '2026-12-07T14:04:00.000Z'],
  ['a whole weekend closed', weekdays, '2026-12-05T12:00:00Z', 60, '2026-12-07T15:00:00.000Z'],
  ['24 working hours are three working days', weekdays, '2026-12-07T14:00:00Z', 24 * 60, '2026-12-09T22:00:00.000Z'],
  ['in another time zone, one day a week', berlin, '2026-12-07T10:00:00Z', 90, '2026-12-12T10:30:00.000Z'],
  ['across the end of daylight saving time (New York, 1 November 2026)', weekdays, '2026-10-30T20:30:00Z', 60, '2026-11-02T14:30:00.000Z'],
] as const)('%s', (_name, hours, from, minutes, due) => {
  expect(addBusinessMinutes(new Date(from), minutes, hours).toISOString()).toBe(due);
});

test('isOpen follows the wall clock of the time zone', () => {
  expect(isOpen(new Date('2026-12-07T14:30:00Z'), weekdays)).toBe(true);
  expect(isOpen(new Date('2026-12-04T17:30:00Z'), weekdays)).toBe(false);
  expect(isOpen(new Date('2026-12-05T15:00:00Z'), weekdays)).toBe(false);
  expect(isOpen(new Date('2026-12-05T15:00:00Z'), 'always')).toBe(true);
});
