import { describe, expect, test } from 'vitest';
import { loadKnowledgeBase } from '../../knowledge/index.js';
import { describesDeviceProblem } from './device-problem.js';
import { englishReading } from './english-reading.js';

const { trees } = await loadKnowledgeBase();

describe('a device problem the knowledge answer hands to troubleshooting', () => {
  test.each([
    ['my voltline thermo is on but no heat is coming out', 'thermostat', true],
    ['the thermostat is not heating', null, true],
    ['my thermostat is on but no heat', null, true],
    // No device named: which tree would it be?
    ['no heat is coming out', null, false],
    // A device, but a question about it, not one of its tree's symptoms.
    ['how to install the thermostat, do I need a c wire?', null, false],
    ['can I set the thermo to heat mode from the app', 'thermostat', false],
    // A symptom of another family's tree.
    ['my thermostat is offline', null, false],
  ] as const)('%j (named family %s): %s', (text, family, expected) => {
    expect(describesDeviceProblem(trees, family, text)).toBe(expected);
  });
});

describe('the English reading a message in another language is searched with', () => {
  test.each([
    ['Wie lange habe ich Zeit, etwas zurückzugeben?', 'how long habe ich zeit etwas return'],
    ['Combien de temps pour un remboursement ?', 'how long pour un refund'],
    ['Ich habe 30 Tage, oder?', 'ich habe 30 tage oder'],
  ])('%j reads as %j', (text, reading) => {
    expect(englishReading(text)).toBe(reading);
  });
});
