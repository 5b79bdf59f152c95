import type { ChoiceOption } from '../../core/message.js';
import type { FollowUpKind } from '../../core/conversation.js';
import { DIALOGUE_COPY_EN } from './dialogue.js';

/** What a customer waiting for a person hears (bots/waiting-room.ts). */
export interface WaitingCopy {
  /** In the team's hours: where they are in the queue and the answer-time target. */
  inQueue(position: number, team: string, targetMinutes: number): string;
  /** Outside the team's hours: when it is back, and the choice of not waiting. */
  closed(team: string, opensAt: string): string;
  followUpOptions: ChoiceOption[];
  askContact(kind: FollowUpKind): string;
  contactNotRead(kind: FollowUpKind): string;
  followUpRecorded(kind: FollowUpKind, to: string, team: string, opensAt: string): string;
  keepWaiting: string;
  /** "human" again while queued, in the team's hours: still in line, where, and the answer-time target (no second handoff). */
  alreadyQueued(position: number, team: string, targetMinutes: number): string;
  /** "human" again while queued outside the team's hours: still in line, when the team is back. */
  alreadyQueuedClosed(team: string, opensAt: string): string;
  /** "menu", "help" or "go back" while queued: the assistant waits with them, and what they can type meanwhile. */
  whileWaiting(team: string): string;
  leftQueue: string;
  /** Offered with `leftQueue`: what the assistant can do. */
  menu: ChoiceOption[];
  /** How a team is named to the customer. */
  teamLabel(team: string): string;
}

const TEAM_LABELS: Record<string, string> = {
  general: 'support',
  returns: 'returns',
  technical: 'technical support',
  billing: 'billing',
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export const WAITING_COPY_EN: WaitingCopy = {
  inQueue: (position, team, targetMinutes) =>
    `${position <= 1 ? `You're next in the queue for our ${team} team.` : `You're number ${position} in the queue for our ${team} team.`} We aim to answer within ${plural(targetMinutes, 'minute', 'minutes')}. You can keep writing here in the meantime; say "cancel" to go back to the assistant.`,
  closed: (team, opensAt) =>
    `Our ${team} team is away right now and back ${opensAt}. Your conversation stays in their queue. If you'd rather not wait here, we can call you back or follow up by email.`,
  followUpOptions: [
    { label: 'Call me back', value: 'follow-up:callback' },
    { label: 'Email me', value: 'follow-up:email' },
    { label: "I'll wait here", value: 'follow-up:wait' },
  ],
  askContact: (kind) => (kind === 'callback' ? 'Which phone number should we call?' : 'Which email address should we write to?'),
  contactNotRead: (kind) =>
    kind === 'callback'
      ? `I couldn't read a phone number there. Please type it with the country code, like +1 415 555 0101.`
      : `I couldn't read an email address there. Please type it like name@example.com.`,
  followUpRecorded: (kind, to, team, opensAt) =>
    `Done. Our ${team} team will ${kind === 'callback' ? `call you at ${to}` : `email you at ${to}`} when they're back ${opensAt}.`,
  keepWaiting: `OK, you'll stay in the queue. Anything you write here will be shown to the person who picks this up.`,
  alreadyQueued: (position, team, targetMinutes) =>
    `You're already in the queue for our ${team} team, no need to ask again: ${position <= 1 ? "you're next" : `you're number ${position}`}, and we aim to answer within ${plural(targetMinutes, 'minute', 'minutes')}. You can keep writing here and they'll see it, or say "cancel" to leave the queue and go back to the assistant.`,
  alreadyQueuedClosed: (team, opensAt) =>
    `You're already in the queue for our ${team} team, no need to ask again. They're away right now and back ${opensAt}. If you'd rather not wait here, we can call you back or follow up by email, or say "cancel" to leave the queue and go back to the assistant.`,
  whileWaiting: (team) =>
    `You're waiting for a person from our ${team} team, so the assistant's menu is on hold. In the meantime you can keep writing here (they'll see everything when they pick this up), or say "cancel" to leave the queue and go back to the assistant.`,
  leftQueue: `OK, I've taken you out of the queue. You're back with the virtual assistant. What can I help you with?`,
  menu: DIALOGUE_COPY_EN.mainMenu,
  teamLabel: (team) => TEAM_LABELS[team] ?? team,
};
