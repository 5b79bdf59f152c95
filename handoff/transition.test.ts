import { describe, expect, test } from 'vitest';
import type { ConversationStatus } from '../core/conversation.js';
import { botHolds, transition, type HandoffAction } from './transition.js';

describe('conversation ownership', () => {
  test.each<[ConversationStatus, HandoffAction, ConversationStatus]>([
    ['bot', 'request_human', 'queued'],
    ['queued', 'assign', 'assigned'],
    ['assigned', 'unassign', 'queued'],
    ['assigned', 'resolve', 'resolved'],
    ['resolved', 'reopen', 'bot'],
    ['queued', 'return_to_bot', 'bot'],
    ['resolved', 'follow_up', 'queued'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toBe(to);
  });

  test.each<[ConversationStatus, HandoffAction]>([
    ['bot', 'assign'],
    ['resolved', 'request_human'],
    ['queued', 'reopen'],
    ['bot', 'unassign'],
    ['assigned', 'follow_up'],
  ])('a %s conversation refuses %s with a conflict error', (from, action) => {
    expect(() => transition(from, action)).toThrowError(expect.objectContaining({ code: 'SB_ERR_CONFLICT' }));
  });

  test('the bot answers only while it holds the conversation', () => {
    expect(botHolds('bot')).toBe(true);
    expect(['queued', 'assigned', 'resolved'].map((s) => botHolds(s as ConversationStatus))).toEqual([false, false, false]);
  });
});
