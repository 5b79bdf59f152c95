import type { HarnessConversation } from './conversation.js';

/**
 * One row per flow a customer can start: what they type first, the flow it starts, how the bot
 * names it ("Continue your return", "Back to your return:"), and the first question it asks. The
 * exit and digression tests (bots/flows/exits.test.ts, bots/flows/digressions.test.ts) run every
 * row, so the table reads as the matrix of flows × ways out and ways around.
 */
export interface FlowOpening {
  /** The row's name in test titles (cancelling and re-addressing an order are one flow). */
  name: string;
  /** The flow the outcome records. */
  flow: string;
  /** What the customer types to start it. */
  opening: string;
  /** How the engine's words name it (DialogueCopy.flowLabel). */
  label: string;
  /** The first question: on screen before the command, and again after "go back" or "Continue …". */
  question: RegExp;
  /** The first question after "start over": the task's own first question, its answers forgotten. */
  restarted: RegExp;
}

export const FLOW_OPENINGS: readonly FlowOpening[] = [
  { name: 'order status', flow: 'order_status', opening: 'where is my order', label: 'checking your order', question: /check your order for you\. What's the order number/, restarted: /check your order for you\. What's the order number/ },
  { name: 'return or exchange', flow: 'returns', opening: 'I want to return something', label: 'your return', question: /start a return for you\. What's the order number/, restarted: /start a return for you\. What's the order number/ },
  { name: 'refund status', flow: 'refund_status', opening: 'where is my refund?', label: 'your refund', question: /check your refund for you\. What's the order number/, restarted: /check your refund for you\. What's the order number/ },
  // The symptom comes from the opening words; started again, the flow asks which device first.
  { name: 'troubleshooting', flow: 'troubleshooting', opening: 'my camera is offline', label: 'fixing your device', question: /What is the light on the camera doing\?/, restarted: /Which device is it\?/ },
  { name: 'warranty', flow: 'warranty', opening: 'is my camera still under warranty?', label: 'your warranty claim', question: /check your warranty for you\. What's the order number/, restarted: /check your warranty for you\. What's the order number/ },
  // The kind of problem came from the opening words; started again, the flow asks what happened.
  { name: 'delivery problem', flow: 'delivery_problem', opening: "my parcel hasn't arrived", label: 'your delivery problem', question: /look into your delivery for you\. What's the order number/, restarted: /What happened\?/ },
  { name: 'payment', flow: 'payment', opening: 'I was charged twice', label: 'your payment question', question: /charges on your order for you\. What's the order number/, restarted: /charges on your order for you\. What's the order number/ },
  { name: 'password reset', flow: 'account', opening: 'I forgot my password', label: 'your account', question: /email address of your Voltline account\?/, restarted: /email address of your Voltline account\?/ },
  { name: 'order cancel', flow: 'order_change', opening: 'I want to cancel my order', label: 'changing your order', question: /I can cancel your order for you\. What's the order number/, restarted: /I can cancel your order for you\. What's the order number/ },
  { name: 'address change', flow: 'order_change', opening: 'I need to change the delivery address on my order', label: 'changing your order', question: /change the delivery address for you\. What's the order number/, restarted: /change the delivery address for you\. What's the order number/ },
  // A knowledge answer's only question is its feedback; its own words can't be asked again.
  { name: 'knowledge answer', flow: 'knowledge', opening: 'how long do I have to return something', label: 'your question', question: /Was this helpful\?/, restarted: /let's start over\. What can I help you with\?/ },
];

/** Starts the row's flow and checks its first question is on screen. */
export async function openFlow(c: HarnessConversation, row: FlowOpening): Promise<void> {
  await c.send(row.opening).expectReply(row.question);
}

/** The row's flows as the outcome lists them, with how each ended. */
export function endings(flows: ReadonlyArray<{ flow: string; ending: string }>, row: FlowOpening): string[] {
  return flows.filter((f) => f.flow === row.flow).map((f) => f.ending);
}
