/**
 * Removes what identifies a customer from the question before it leaves for the model: the
 * answer comes from help-centre passages, so the model never needs an email, a phone number
 * or an order number. (Names can't be found reliably in free text; the question is the only
 * customer text the model sees.)
 */
export function scrubCustomerData(question: string, orderNumberPattern?: string): string {
  let out = question
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[number]');
  if (orderNumberPattern !== undefined) {
    try {
      out = out.replace(new RegExp(`\\b(?:${orderNumberPattern})\\b`, 'g'), '[order]');
    } catch {
      // An invalid pattern is refused at config load; nothing to scrub with here.
    }
  }
  return out.replace(/\b\d{5,}\b/g, '[number]');
}
