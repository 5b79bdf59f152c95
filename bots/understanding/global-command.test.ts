import { describe, expect, test } from 'vitest';
import { detectCommand } from './global-command.js';

describe('global commands', () => {
  test.each([
    ['cancel that', 'cancel'],
    ['Never mind.', 'cancel'],
    ['ok forget it', 'cancel'],
    ['nvm', 'cancel'],
    ['stop', 'cancel'],
    ['actually never mind, I\'ll keep them', 'cancel'],
    ['start over', 'start_over'],
    ['can we start again please', 'start_over'],
    ['go back', 'back'],
    ['back', 'back'],
    ['menu', 'menu'],
    ['help', 'menu'],
    ['show me the menu', 'menu'],
    ['talk to a human', 'human'],
    ['agent please', 'human'],
    ['I want to speak to a person', 'human'],
    ['quiero hablar con una persona por favor', 'human'],
    ['Ich möchte bitte mit einem Mitarbeiter sprechen', 'human'],
    ['quero falar com um atendente', 'human'],
    ['je voudrais parler à un conseiller', 'human'],
    ['posso parlare con un operatore?', 'human'],
  ] as const)('"%s" is %s', (text, command) => expect(detectCommand(text)).toBe(command));

  test.each([
    'cancel my order 100234',
    'stop texting me',
    'where is my order',
    'I want to go back to my return of the buds from last week and check the refund',
    'my headphones went back to pairing mode',
    'mi pedido 100234 no ha llegado',
    'the menu button on the tv remote does nothing',
    '',
  ])('"%s" is not a command: it is a request or an answer', (text) => expect(detectCommand(text)).toBeNull());
});
