/** What the SMS keywords answer (copy, not code: the shop's name filled in). */
export const keywordCopy = (shopName: string) => ({
  optedOut: `You're unsubscribed from ${shopName} messages and will receive no more. Reply START to resubscribe.`,
  optedIn: `You're resubscribed to ${shopName} messages. Reply STOP to unsubscribe, HELP for help.`,
});

/** SHOP_HELP_TEXT when unset. */
export const defaultHelpText = (shopName: string, publicUrl: string) =>
  `${shopName} support: reply with your question, or visit ${publicUrl}/help. Reply STOP to unsubscribe. Msg & data rates may apply.`;
