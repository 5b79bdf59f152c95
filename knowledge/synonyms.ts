/**
 * Vocabulary for matching how customers write to how articles are written. Kept as data so
 * editors can extend it; every entry should be a general equivalence in support language,
 * not a patch for one question.
 */

/** Multi-word phrases rewritten to one word before tokenizing (applied to articles and queries alike). */
export const CANONICAL_PHRASES: ReadonlyArray<readonly [readonly string[], string]> = [
  [['wi fi', 'wi-fi', 'wireless internet', 'wlan'], 'wifi'],
  [['e-mail', 'e mail'], 'email'],
  [['log in', 'login', 'log on', 'sign in', 'signin', 'sign-in', 'log-in'], 'signin'],
  [['sign up', 'signup', 'sign-up', 'create an account', 'register an account'], 'registration'],
  [['money back', 'my money', 'reimburse', 'reimbursement', 'refunded', 'refund'], 'refund'],
  [['two factor', 'two-factor', '2fa', '2-step', 'two step', 'two-step', 'mfa', 'one time code', 'verification code'], 'twostep'],
  [['double charged', 'charged twice', 'double charge', 'charged 2 times', 'two charges', 'duplicate charge', 'charged two times'], 'doublecharge'],
  [['restocking fee', 'restock fee', 'restocking charge'], 'restocking'],
  [['final sale', 'clearance', 'non-returnable', 'non returnable', 'cannot be returned', 'can t return', 'cant return'], 'finalsale'],
  [['power cycle', 'power-cycle', 'turn it off and on', 'turn off and on', 'unplug and plug', 'reboot', 'restart'], 'restart'],
  [['factory reset', 'factory-reset', 'hard reset', 'reset to factory'], 'factoryreset'],
  [['firmware', 'software update', 'system update', 'os update'], 'firmware'],
  [['customs duty', 'customs duties', 'import tax', 'import duty', 'import fees', 'duties'], 'customs'],
  [['pay later', 'pay in 4', 'buy now pay later', 'installments', 'instalments', 'installment', 'instalment', 'finance', 'financing', 'klarna', 'affirm'], 'installments'],
  [['gift card', 'gift cards', 'giftcard', 'voucher', 'vouchers'], 'giftcard'],
  [['promo code', 'discount code', 'coupon', 'coupons', 'promo', 'discount'], 'promocode'],
  [['extended warranty', 'care+', 'care plus', 'protection plan', 'accidental damage'], 'careplus'],
  [['price match', 'price-match', 'cheaper elsewhere', 'lower price', 'price drop', 'price adjustment', 'went on sale'], 'pricematch'],
  [['send back', 'send it back', 'ship back'], 'return'],
  [['never arrived', 'never came', 'didn t arrive', 'didnt arrive', 'hasn t arrived', 'hasnt arrived', 'not arrived', 'not delivered', 'never delivered'], 'lost'],
  [['ethernet', 'lan cable', 'network cable'], 'ethernet'],
  [['no sound', 'no audio', 'sound not working', 'cant hear', 'can t hear', 'silent'], 'nosound'],
  [['not heating', 'no heat', 'won t heat', 'wont heat', 'doesn t heat', 'cold house', 'heating not', 'furnace not'], 'noheat'],
  [['no picture', 'black screen', 'blank screen', 'screen is black', 'screen stays black'], 'blackscreen'],
  [['turn on', 'turns on', 'switch on', 'power on', 'boot', 'boots', 'start up', 'starts up'], 'poweron'],
  [['tracking number', 'tracking link', 'track my', 'tracking', 'where is my order', 'where s my order', 'where is my package', 'wheres my order'], 'track'],
];

/** Words that mean the same thing in a support question. The first word of a group is the representative. */
export const SYNONYM_GROUPS: ReadonlyArray<readonly string[]> = [
  ['parcel', 'package', 'packet', 'shipment', 'delivery', 'box'],
  ['ship', 'shipping', 'dispatch', 'post', 'postage', 'send', 'mail'],
  ['cancel', 'cancellation', 'void'],
  ['return', 'rma'],
  ['exchange', 'swap', 'replace', 'replacement'],
  ['broken', 'faulty', 'defective', 'dead', 'damaged', 'cracked', 'busted', 'malfunction'],
  ['password', 'passcode', 'pwd', 'pw'],
  ['account', 'profile'],
  ['router', 'mesh', 'node', 'satellite', 'modem'],
  ['camera', 'cam', 'webcam'],
  ['plug', 'socket', 'outlet'],
  ['thermostat', 'thermo', 'hvac', 'furnace', 'boiler', 'heating', 'heater'],
  ['speaker', 'soundbar'],
  ['headphones', 'headphone', 'headset', 'earbuds', 'earbud', 'buds', 'earphones', 'airpods'],
  ['tv', 'television', 'telly'],
  ['laptop', 'notebook', 'computer', 'pc'],
  ['pair', 'pairing', 'connect'],
  ['offline', 'disconnected', 'unavailable', 'unreachable'],
  ['drop', 'dropout', 'cut', 'disconnect', 'unstable', 'intermittent', 'flaky', 'spotty'],
  ['slow', 'laggy', 'lag', 'sluggish', 'buffering'],
  ['invoice', 'receipt', 'bill'],
  ['address', 'addr'],
  ['decline', 'declined', 'rejected', 'refused', 'denied', 'failed'],
  ['card', 'visa', 'mastercard', 'amex', 'debit', 'credit'],
  ['lost', 'missing', 'stolen'],
  ['late', 'delayed', 'delay', 'overdue', 'stuck'],
  ['international', 'abroad', 'overseas', 'worldwide', 'country'],
  ['warranty', 'guarantee'],
  ['repair', 'repairs'],
  ['email', 'inbox'],
  ['update', 'upgrade'],
  ['setup', 'install', 'installation', 'configure', 'set'],
  ['app', 'application'],
  ['delete', 'close', 'remove', 'erase'],
  ['hack', 'hacked', 'compromised', 'unauthorized', 'suspicious'],
  ['video', 'recording', 'footage', 'clip'],
  ['wifi', 'internet', 'network', 'signal'],
];

/** Misspellings frequent enough in support chats that fuzzy matching alone would miss them. */
export const COMMON_MISSPELLINGS: ReadonlyMap<string, string> = new Map([
  ['recieve', 'receive'],
  ['recieved', 'received'],
  ['adress', 'address'],
  ['adresss', 'address'],
  ['cancle', 'cancel'],
  ['cancell', 'cancel'],
  ['pasword', 'password'],
  ['passwrod', 'password'],
  ['warrenty', 'warranty'],
  ['waranty', 'warranty'],
  ['garantee', 'guarantee'],
  ['refnd', 'refund'],
  ['thermastat', 'thermostat'],
  ['thermostate', 'thermostat'],
  ['wifi', 'wifi'],
  ['wiifi', 'wifi'],
  ['rooter', 'router'],
  ['headfones', 'headphones'],
  ['labtop', 'laptop'],
  ['parcle', 'parcel'],
  ['pakage', 'package'],
  ['packege', 'package'],
  ['accout', 'account'],
  ['acount', 'account'],
  ['definately', 'definitely'],
  ['seperate', 'separate'],
  ['delievery', 'delivery'],
  ['delivary', 'delivery'],
  ['shiping', 'shipping'],
  ['retrun', 'return'],
  ['exchnage', 'exchange'],
  ['invoive', 'invoice'],
  ['bluetooh', 'bluetooth'],
  ['bluetoth', 'bluetooth'],
  ['blutooth', 'bluetooth'],
]);

/** Words that carry no meaning for finding an article. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by can
  could did do does doing don done down during each few for from further had has have having he her here hers him his how
  i if in into is it its itself just let me more most my myself no nor not of off on once only or other our ours out over
  own please same she should so some such than that the their them then there these they this those through to too under
  until up very was we were what when where which while who whom why will with would you your yours yourself hi hello hey
  thanks thank thx pls plz ok okay u ur im ive id get got getting gets want need know tell help still even really voltline
  anyone someone something anything way just now today yesterday one`.split(/\s+/).filter((w) => w !== ''),
);
