/** The troubleshooting flow's words to the customer (English). */
export const TROUBLESHOOTING_COPY = {
  /** The first reply: the device and the problem, before the first step. */
  understood: (device: string, problem: string): string => `Sorry about the trouble with your ${device} (${problem}). Let's fix it together.`,
  /** Comes with the first step, never instead of it. */
  offerVerify: (device: string): string =>
    `If you'd like me to check your ${device}'s status too, send me the email address on your account (or type "check my device").`,
  offerVerifyButton: 'Check my device status',
  whichDevice: 'Sorry to hear that. Which device is it? (Type its name, for example "camera" or "router".)',
  somethingElse: 'Something else',
  noDeviceOnFile: (family: string): string => `I don't see a ${family} registered on your account, so I can't check its status. Let's go through the steps together.`,
  whichOfYours: 'Which device is it?',
  carryOn: "No problem, let's carry on without checking it.",
  pickAnOption: (example: string): string =>
    `Sorry, I didn't catch which one it is. Type the number or the words of an option${example !== '' ? `, for example "${example}"` : ''}.`,
  didItWork: `Sorry, I didn't catch whether that worked. Type "yes" if it's fixed or "no" if it isn't.`,
  notUnderstoodTwice: "I'm sorry, I'm not following, and I don't want to keep you going in circles. I'm passing you to a person who can help.",
  /** An open incident affects the device: no steps, the operator's message, a person on offer. */
  knownOutage: (device: string, message: string): string =>
    `We know about a problem affecting ${device} devices right now, so there's nothing you need to try on your side. ${message} If you'd still like to talk to a person, I can pass you to one.`,
  fixed: "Great, glad it's working again! If it happens again, just message us.",
} as const;
