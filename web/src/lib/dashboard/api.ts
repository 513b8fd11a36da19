// Shapes of the endpoints the owner dashboard reads, checked at runtime with zod.
import { z } from 'zod';
import type { Parser } from '../api/response';

function parser<T>(schema: z.ZodType<T>): Parser<T> {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : null;
  };
}

const PickupPoint = z.object({
  id: z.string(),
  kind: z.enum(['shop', 'leader']),
  name: z.string(),
  address: z.string().nullable(),
  hours: z.string().nullable(),
});
export type PickupPoint = z.infer<typeof PickupPoint>;
export const parsePickupPoints = parser(z.object({ pickupPoints: z.array(PickupPoint) }));

const Prepare = z.object({
  pickupPointId: z.string(),
  totals: z.array(z.object({ productName: z.string(), quantity: z.number() })),
  buyers: z.array(
    z.object({ buyerName: z.string(), pickupCode: z.string(), overdue: z.boolean() }),
  ),
});
export type PrepareList = z.infer<typeof Prepare>;
export const parsePrepare = parser(Prepare);

const RefundRequest = z.object({
  id: z.string(),
  orderId: z.string(),
  buyerName: z.string(),
  productName: z.string(),
  quantity: z.number(),
  totalCents: z.number().int(),
  reason: z.string(),
  status: z.enum(['open', 'approved', 'declined']),
  createdAt: z.string(),
  ageSeconds: z.number(),
});
export type RefundRequest = z.infer<typeof RefundRequest>;
export const parseRefundRequests = parser(z.object({ refundRequests: z.array(RefundRequest) }));

const PendingLeader = z.object({
  leader: z.object({
    id: z.string(),
    displayName: z.string(),
    community: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'declined', 'suspended']),
  }),
});
export const parseLeaderStatuses = parser(z.object({ leaders: z.array(PendingLeader) }));

const Product = z.object({
  id: z.string(),
  name: z.string(),
  priceCents: z.number().int(),
  stock: z.number(),
  archived: z.boolean(),
});
export type Product = z.infer<typeof Product>;
export const parseProducts = parser(z.object({ products: z.array(Product) }));

/** Age of a waiting request in the largest whole unit: 3 天 / 5 小时 / 12 分钟. */
export function ageParts(seconds: number): { unit: 'days' | 'hours' | 'minutes'; count: number } {
  if (seconds >= 86_400) return { unit: 'days', count: Math.floor(seconds / 86_400) };
  if (seconds >= 3_600) return { unit: 'hours', count: Math.floor(seconds / 3_600) };
  return { unit: 'minutes', count: Math.max(1, Math.floor(seconds / 60)) };
}

const StudioStream = z.object({
  stream: z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['scheduled', 'live', 'ended']),
    scheduledAt: z.string().nullable(),
    shop: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    offers: z.array(
      z.object({
        id: z.string(),
        productId: z.string(),
        productName: z.string(),
        priceCents: z.number().int(),
        quantity: z.number(),
        remaining: z.number(),
        perBuyerLimit: z.number().nullable(),
        groupMin: z.number().nullable(),
        groupDeadline: z.string().nullable(),
      }),
    ),
  }),
});
export type PlannedStream = z.infer<typeof StudioStream>['stream'];
/** GET /api/streams/:id/studio (owner only), reduced to what the plan page shows. */
export const parseStudioStream = parser(StudioStream);

/** "12.5" → 1250; null for anything that is not a non-negative amount with at most 2 decimals. */
export function yuanToCents(input: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(input);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
