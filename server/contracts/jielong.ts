// 接龙 (SPEC.md journey 14): "+1" in the chat while an offer is pinned is an order, placed by
// the same function as the order sheet. This file holds what the server and the web client
// must agree on: which texts are an order, and the shapes the chat shows.
import { z } from 'zod';

/** The most one chat line orders, as the order sheet's quantity picker allows. */
export const JIELONG_MAX_QUANTITY = 20;

/**
 * The quantity a chat line orders, or null when it is just a comment. The whole line must be
 * the order: "+1", "+2", "＋3" (full width), "接龙", "接龙 2", "接龙+2"; "+1" inside other text
 * ("我也+1 好吃") is a comment. Quantities outside 1–20 are comments too ("+100" is applause).
 */
export function parseJielong(text: string): number | null {
  // NFKC folds the full-width plus and digits (＋２) into ASCII
  const line = text.normalize('NFKC').trim();
  const match = /^(?:\+\s*(\d{1,2})|接龙\s*\+?\s*(\d{1,2})?)$/u.exec(line);
  if (!match) return null;
  const digits = match[1] ?? match[2];
  const quantity = digits === undefined ? 1 : Number(digits);
  return quantity >= 1 && quantity <= JIELONG_MAX_QUANTITY ? quantity : null;
}

/** The Idempotency-Key of the order a chat message places: a resent message buys once. */
export function jielongKey(clientId: string): string {
  return `chat:${clientId}`;
}

/** One line of the 接龙 list under the pinned card: 1. 王** +1 */
export const JielongEntry = z.object({
  orderId: z.string(),
  /** masked, e.g. 王** */
  buyerName: z.string(),
  quantity: z.number(),
});
export type JielongEntry = z.infer<typeof JielongEntry>;

export const JielongListPayload = z.strictObject({ offerId: z.uuid() });
export const JielongList = z.object({ entries: z.array(JielongEntry) });
