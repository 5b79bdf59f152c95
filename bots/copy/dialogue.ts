import type { ChoiceOption } from '../../core/message.js';

/**
 * The dialogue engine's words (exits, resuming, clarifying, other languages). One object per
 * locale; flows' own copy moves here flow by flow (docs/dialogue.md).
 */
export interface DialogueCopy {
  mainMenu: ChoiceOption[];
  talkToPerson: ChoiceOption;
  cancelled: string;
  nothingToCancel: string;
  startOver: string;
  /** "start over" inside a flow: that task again from its first question. */
  startOverFlow(label: string): string;
  goingBack: string;
  firstQuestion: string;
  menuIntro: string;
  continueFlow(label: string): string;
  resumeOffer(label: string): string;
  /** Said when a second request of the same message waits for the first. */
  queuedNote(label: string): string;
  /** Offered when the first request ended: the second, never started yet. */
  queuedOffer(label: string): string;
  resumeYes: string;
  resumeNo: string;
  backTo(label: string): string;
  droppedFlow: string;
  clarify: string;
  somethingElse: string;
  notUnderstood: string;
  stillNotUnderstood: string;
  /** A short label for what a flow does, as in "Shall we get back to {label}?". */
  flowLabel(flow: string): string;
  /** A label for an intent offered in a clarifying question. */
  intentLabel(intent: string): string | null;
}

const FLOW_LABELS: Record<string, string> = {
  returns: 'your return',
  order_status: 'checking your order',
  refund_status: 'your refund',
  order_change: 'changing your order',
  troubleshooting: 'fixing your device',
  warranty: 'your warranty claim',
  payment: 'your payment question',
  account: 'your account',
  delivery_problem: 'your delivery problem',
  knowledge: 'your question',
};

const INTENT_LABELS: Record<string, string> = {
  order_status: "Where's my order?",
  return_request: 'Return an item',
  exchange_request: 'Exchange an item',
  refund_status: 'Where is my refund?',
  order_cancel: 'Cancel an order',
  order_change_address: 'Change the delivery address',
  delivery_problem: 'A problem with a delivery',
  troubleshoot_device_offline: 'A device is offline',
  troubleshoot_wifi: 'Wi-Fi problems',
  troubleshoot_pairing: "A device won't pair",
  troubleshoot_audio: 'Sound problems',
  troubleshoot_firmware: 'A firmware update',
  warranty: 'A warranty claim',
  payment_declined: 'A declined payment',
  payment_double_charge: 'A double charge',
  password_reset: 'Reset my password',
  account_access: "I can't sign in",
  product_question: 'A product question',
  human_agent: 'Talk to a person',
};

export const DIALOGUE_COPY_EN: DialogueCopy = {
  mainMenu: [
    { label: "Where's my order?", value: 'intent:order_status' },
    { label: 'Return an item', value: 'intent:return_request' },
    { label: 'Fix a device', value: 'intent:troubleshoot_device_offline' },
    { label: 'Talk to a person', value: 'intent:human_agent' },
  ],
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },
  cancelled: `OK, I've stopped that. Nothing was changed.`,
  nothingToCancel: `OK, no problem. There's nothing in progress.`,
  startOver: `Sure, let's start over. What can I help you with?`,
  startOverFlow: (label) => `Sure, let's start ${label} again from the top.`,
  goingBack: `OK, let's go back a step.`,
  firstQuestion: `That was the first question, so here it is again.`,
  menuIntro: `Here's what I can help with. What would you like to do?`,
  continueFlow: (label) => `Continue ${label}`,
  resumeOffer: (label) => `Shall we get back to ${label}?`,
  queuedNote: (label) => `I'll help with ${label} right after this.`,
  queuedOffer: (label) => `You also asked about ${label}. Shall we do that now?`,
  resumeYes: 'Yes, continue',
  resumeNo: 'No, thanks',
  backTo: (label) => `Back to ${label}:`,
  droppedFlow: `OK, I've set that aside. Anything else I can help with?`,
  clarify: `I want to get this right. Which of these is it about?`,
  somethingElse: 'Something else',
  notUnderstood: `Sorry, I didn't quite get that. I can help with orders, returns, devices, payments and your account.`,
  stillNotUnderstood: `I'm sorry, I'm still not getting it. Would you like me to connect you with a member of our team?`,
  flowLabel: (flow) => FLOW_LABELS[flow] ?? 'where we were',
  intentLabel: (intent) => INTENT_LABELS[intent] ?? null,
};

/**
 * For a message in a language the assistant does not speak: said in that language, with the
 * offer of a person. Keys are ISO 639-1 codes.
 */
export const ENGLISH_ONLY_NOTE: Readonly<Record<string, string>> = {
  es: 'Nuestro asistente responde en inglés. Si lo prefiere, puedo ponerle con una persona de nuestro equipo.',
  fr: "Notre assistant répond en anglais. Si vous préférez, je peux vous mettre en relation avec une personne de notre équipe.",
  de: 'Unser Assistent antwortet auf Englisch. Wenn Sie möchten, verbinde ich Sie mit einer Person aus unserem Team.',
  pt: 'O nosso assistente responde em inglês. Se preferir, posso ligá-lo a uma pessoa da nossa equipa.',
  it: 'Il nostro assistente risponde in inglese. Se preferisce, posso metterla in contatto con una persona del nostro team.',
  nl: 'Onze assistent antwoordt in het Engels. Als u wilt, verbind ik u met iemand van ons team.',
};
