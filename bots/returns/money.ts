/** Money as the customer's order shows it: "$1,104.15" for 110415 USD. */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
