/**
 * Formats an amount of integer cents (分) as CNY for display: 123456 → "¥1,234.56".
 * Pure integer arithmetic, so there is no floating-point rounding anywhere.
 * Throws on anything that is not a safe integer: a fractional "cent" is a bug upstream.
 */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`formatCents expects an integer number of cents, got ${String(cents)}`);
  }
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const yuan = Math.floor(abs / 100);
  const fen = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${String(fen).padStart(2, '0')}`;
}
