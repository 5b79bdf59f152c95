/**
 * The shop's own words in the other languages customers write in (docs/dialogue.md, "Other
 * languages"), read as the English word the classifier was trained on. The bot still answers in
 * English with a note; this only lets "je veux annuler ma commande 100236" be the cancellation it
 * is, the way "¿Dónde está mi pedido 100234?" already reads as an order. Only words that name
 * a shop thing or task are here (order, cancel, return, refund, delivery, yes/no): a sentence
 * about the weather or football in French still has nothing the model knows. Keys are
 * normalised (lower case, accents folded, see `normalizeText`).
 */
const WORDS = new Map<string, string>(Object.entries({
  // French
  commande: 'order',
  commandes: 'orders',
  annuler: 'cancel',
  annulez: 'cancel',
  annulation: 'cancellation',
  rembourser: 'refund',
  remboursement: 'refund',
  retourner: 'return',
  renvoyer: 'return',
  livraison: 'delivery',
  colis: 'package',
  oui: 'yes',
  // German
  bestellung: 'order',
  stornieren: 'cancel',
  storno: 'cancel',
  zuruckgeben: 'return',
  zuruckzugeben: 'return',
  zurucksenden: 'return',
  zuruckschicken: 'return',
  rucksendung: 'return',
  erstattung: 'refund',
  ruckerstattung: 'refund',
  lieferung: 'delivery',
  paket: 'package',
  ja: 'yes',
  nein: 'no',
  // Spanish, Portuguese
  pedido: 'order',
  encomenda: 'order',
  cancelar: 'cancel',
  devolver: 'return',
  devolucion: 'return',
  devolucao: 'return',
  reembolso: 'refund',
  // Italian
  ordine: 'order',
  annullare: 'cancel',
  restituire: 'return',
  rimborso: 'refund',
  // Dutch
  bestelling: 'order',
  annuleren: 'cancel',
  retourneren: 'return',
  terugbetaling: 'refund',
}));

/** Two- and three-word questions whose words alone mean nothing to the model ("wie lange" is "how long"). */
const PAIRS = new Map<string, string>(Object.entries({
  'wie lange': 'how long',
  'combien de temps': 'how long',
  'cuanto tiempo': 'how long',
  'quanto tempo': 'how long',
  'hoe lang': 'how long',
}));

/** Whether the tokens hold one of the shop's words in another language ("commande", "Bestellung"). */
export function namesShopWordAbroad(tokens: readonly string[]): boolean {
  return tokens.some((t, i) => WORDS.has(t) || PAIRS.has(`${t} ${tokens[i + 1] ?? ''}`) || PAIRS.has(`${t} ${tokens[i + 1] ?? ''} ${tokens[i + 2] ?? ''}`));
}

/** The tokens with the shop's words in other languages replaced by their English ones. */
export function glossTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const pair = `${tokens[i]} ${tokens[i + 1] ?? ''}`;
    const triple = `${pair} ${tokens[i + 2] ?? ''}`;
    const long = PAIRS.get(triple);
    const short = PAIRS.get(pair);
    if (long !== undefined) {
      out.push(long);
      i += 2;
    } else if (short !== undefined) {
      out.push(short);
      i += 1;
    } else out.push(WORDS.get(tokens[i]!) ?? tokens[i]!);
  }
  return out;
}
