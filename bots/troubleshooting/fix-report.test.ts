import { describe, expect, test } from 'vitest';
import { readFixReport } from './fix-report.js';
import { matchOption } from './tree-walker.js';

describe('a step result typed in the customer’s own words', () => {
  test.each([
    ['ok unplugged it and waited, it works now', 'fixed'],
    ['that fixed it', 'fixed'],
    ['restarted it, seems stable now. thanks', 'fixed'],
    ["I restarted the modem and it's working again", 'fixed'],
    ['unpluged it, its back now', 'fixed'],
    ['updated it like you said, no more freezing', 'fixed'],
    ['moved it closer to the router and it stopped cutting out, thanks', 'fixed'],
    ['held the power button for 30 seconds with the charger in, it booted!', 'fixed'],
    ['tried that, still nothing', 'not_fixed'],
    ['I tried charging it overnight, still nothing', 'not_fixed'],
    ['no luck', 'not_fixed'],
    ['nothing works', 'not_fixed'],
    ['nope, still no internet', 'not_fixed'],
    ['it stopped working again', 'not_fixed'],
    ["did the reset, still can't add it", 'not_fixed'],
    ['cleaned the contacts and they charge now, thanks', 'fixed'],
    ['reseated the cable and it streams fine', 'fixed'],
    // The step was done and nothing says it helped: the walk goes on to the next step.
    ["they're in the case and charged", 'not_fixed'],
    ['done that already', 'not_fixed'],
    ["it's charged and it works now", 'fixed'],
  ] as const)('"%s" → %s', (typed, expected) => {
    expect(readFixReport(typed)).toBe(expected);
  });

  test.each(['is my camera still under warranty by the way?', "this isn't working, can I talk to a human", 'over-ear 700', 'blinking red'])(
    '"%s" reports no result (a question, a request for a person, or an answer to something else)',
    (typed) => {
      expect(readFixReport(typed)).toBeNull();
    },
  );
});

describe('options named in words, with their synonyms', () => {
  const camera = [
    { label: "It's off", synonyms: ['off', 'no light'] },
    { label: 'Blinking red', synonyms: ['flashing red'] },
    { label: 'Solid red', synonyms: ['red'] },
    { label: 'Solid blue' },
  ];
  test.each([
    ['the light is off', 0],
    ['its flashing red', 1],
    ['blinking red', 1],
    ['the light is red', 2],
    ['it went offline', null],
    ['purple', null],
  ] as const)('"%s" picks option %s', (typed, index) => {
    expect(matchOption(camera, typed)).toBe(index);
  });

  test('a first message answers a question only with a whole label or synonym, never a bare yes or no', () => {
    const yesNo = [{ label: 'Yes' }, { label: 'No' }];
    expect(matchOption(yesNo, 'no sound from my speaker', 'volunteered')).toBeNull();
    expect(matchOption(yesNo, 'no')).toBe(1);
    expect(matchOption(camera, 'my camera is offline', 'volunteered')).toBeNull();
    expect(matchOption(camera, 'my camera is blinking red', 'volunteered')).toBe(1);
  });
});
