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
  /** Said instead of asking a question the device dashboard answers (`dashboardAnswer`): which kind of device it is. */
  dashboardFamily: (product: string, family: string): string => `Your ${product} is a ${family}.`,
  /** Said instead of a firmware-update step the device doesn't need. */
  dashboardLatestFirmware: (product: string, version: string): string => `Your ${product} already runs the latest firmware (${version}), so we can skip updating it.`,
  fixed: "Great, glad it's working again! If it happens again, just message us.",
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },
  /** The device dashboard's sentence: "Your <device> <status>; <firmware>." */
  dashboard: (device: string, status: string, firmware: string): string => `Your ${device} ${status}; ${firmware}.`,
  online: (lastCheckIn: string | null): string => `is online${lastCheckIn !== null ? ` (last check-in ${lastCheckIn})` : ''}`,
  offlineSince: (when: string): string => `has been offline since ${when}`,
  neverCheckedIn: 'is offline and has never checked in',
  firmwareCurrent: (version: string, known: boolean): string => `firmware ${version}${known ? ' (up to date)' : ''}`,
  firmwareBehind: (version: string, latest: string): string => `firmware ${version} (latest ${latest})`,
  justNow: 'just now',
  minutesAgo: (minutes: number): string => `${minutes} minutes ago`,
  hoursAgo: (hours: number): string => `about ${hours} hours ago`,
  daysAgo: (days: number): string => `${days} days ago`,
  yes: { label: 'Yes', value: 'ts-check:yes' },
  no: { label: 'No', value: 'ts-check:no' },
  /** A step's card: its number in the walk and the tree's title. */
  stepTitle: (n: number, title: string): string => `Step ${n}: ${title}`,
  stepGuide: 'Step-by-step guide',
  readArticle: 'Read the article',
  /** A walk that ends with a person: the tree's last words, then what was tried. */
  handingOver: (text: string, tried: string): string => `${text}${tried !== '' ? `\nWhat we've tried so far:\n${tried}` : ''}`,
  needsRepair: (tried: string): string => `It looks like the device needs a repair. I'm passing you to our team to set that up; they'll see the steps you've tried:\n${tried}`,
  noWarranty: (product: string): string => `The ${product} has no warranty`,
  warrantyEnded: (device: string, day: string): string => `The warranty on your ${device} ended on ${day}`,
  repairOptionsTitle: 'Repair options',
  /** `expired`: noWarranty or warrantyEnded. */
  paidRepair: (expired: string): string => `${expired}, so a free warranty repair isn't possible. Our paid repair service can fix it: you get a quote before any work starts.`,
  repairServiceTitle: 'Repair service',
  paidRepairQuestion: 'Would you like a person to help arrange a paid repair?',
  repairCaseTitle: (caseId: string): string => `Repair case ${caseId}`,
  repairCaseOpened: (text: string, caseId: string, device: string, until: string): string =>
    `${text}\nI've opened repair case ${caseId} for your ${device}, under warranty until ${until}. Our repair team will email you shipping instructions within one business day.`,
} as const;
