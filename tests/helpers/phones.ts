import { randomInt } from 'node:crypto';

/**
 * A mobile number of its own. Per-buyer limits count a phone number as one buyer, so buyers
 * who are meant to be different people must not share one.
 */
export function uniquePhone(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

const phones = new WeakMap<object, string>();
/** The same number every time for the same buyer (a repeated request must match its first). */
export function phoneOf(buyer: object): string {
  let phone = phones.get(buyer);
  if (!phone) {
    phone = uniquePhone();
    phones.set(buyer, phone);
  }
  return phone;
}
