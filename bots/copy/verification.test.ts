import { describe, expect, test } from 'vitest';
import { VERIFICATION_COPY_EN as COPY } from './verification.js';

describe('how long verification is paused, in the customer\'s words', () => {
  test.each([
    [900, '15 minutes'],
    [61, '2 minutes'],
    [60, '1 minute'],
    [1, '1 minute'],
    [0, '1 minute'],
  ])('%i seconds left reads "%s": rounded up, so the pause never ends later than it says', (seconds, said) => {
    expect(COPY.paused(seconds)).toContain(`paused for ${said} after`);
    expect(COPY.pausedNotice(seconds)).toContain(`paused for ${said} after`);
  });
});
