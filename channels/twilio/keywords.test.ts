import { expect, test } from 'vitest';
import { smsKeyword } from './keywords.js';

test.each(['STOP', 'stop', ' Stop ', 'STOP!', 'StopAll', 'unsubscribe', 'END', 'quit', 'Cancel', 'revoke', 'OPTOUT'])('%j is an opt-out', (body) => {
  expect(smsKeyword(body)?.kind).toBe('opt_out');
});

test.each(['START', 'yes', 'Unstop'])('%j is an opt-in', (body) => {
  expect(smsKeyword(body)?.kind).toBe('opt_in');
});

test.each(['HELP', 'info', 'Help?'])('%j asks for help', (body) => {
  expect(smsKeyword(body)?.kind).toBe('help');
});

test.each(['Stop texting me', 'please stop', 'cancel my order', 'yes please', 'help me track my order', 'STOPP', 'S T O P', ''])('%j is not a keyword: it goes to the bot', (body) => {
  expect(smsKeyword(body)).toBeNull();
});
