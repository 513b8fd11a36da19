// Building blocks shared by the contracts: ids in paths, text rules. Contracts import only
// zod, so the web app can import them as well (eslint enforces it for this folder).
import { z } from 'zod';

/** Display names: trimmed, 1–40 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');

/** One line of text with no control characters, trimmed, 1–max characters. */
export const lineOfText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');

/** An ISO 8601 time with its offset, as requests send it. */
export const IsoTime = z.iso.datetime({ offset: true });

export const ShopParams = z.object({ shopId: z.uuid() });
export const StreamParams = z.object({ streamId: z.uuid() });
export const OrderParams = z.object({ orderId: z.uuid() });
