/** What the customer hears when the bot hands the conversation to a person. */
export interface HandoffCopy {
  connecting: string;
  /** Said first when a device may be dangerous: what to do before a person answers. */
  safetyFirst: string;
  /** The bot noticed the customer is upset and hands off without being asked. */
  upset: string;
  /** The bot failed to understand the customer too many times. */
  notUnderstood: string;
  /** A VIP customer the bot did not understand: a person at once rather than another guess. */
  vipNotUnderstood: string;
  /** Offered beside an answer when the customer sounds frustrated the first time. */
  personOffer: string;
}

export const HANDOFF_COPY_EN: HandoffCopy = {
  connecting: `I'm connecting you with a member of our support team. They'll see our conversation so far, so you won't need to repeat yourself.`,
  safetyFirst: `For your safety, please stop using the device and unplug it if you can do so safely. If there is smoke or fire, move away and call emergency services.`,
  upset: `I'm sorry this has been frustrating. I'm bringing in a member of our support team, who can see everything we've discussed.`,
  notUnderstood: `I'm sorry, I'm not getting this right. I'm passing you to a member of our support team, who can see our conversation so far.`,
  vipNotUnderstood: `I want to make sure you get the right answer, so I'm passing you straight to a member of our support team. They can see our conversation so far.`,
  personOffer: `I'm sorry about the trouble. If you'd rather talk to a person, just say "agent" at any time.`,
};
