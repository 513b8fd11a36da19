import { z } from 'zod';
import { IsoTime } from './common';
import { LeaderParams } from './leader';

// Settlement (issue 14.5): a leader's statement per shop and the owner's payouts.

/** `<payoutId>.csv`: the payout's entries as a spreadsheet. */
export const PayoutCsvParams = LeaderParams.extend({
  payoutFile: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.csv$/i, 'is <uuid>.csv'),
});

/** Ledger entries made in [from, to); either end may be left open. */
export const SettlementQuery = z.object({ from: IsoTime.optional(), to: IsoTime.optional() });
export type SettlementQuery = z.infer<typeof SettlementQuery>;

export const CreatePayoutBody = z.strictObject({ periodEnd: IsoTime });
export type CreatePayoutBody = z.infer<typeof CreatePayoutBody>;

export const Payout = z
  .object({
    id: z.string(),
    shopId: z.string(),
    leaderId: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    amountCents: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Payout' });
export type Payout = z.infer<typeof Payout>;

export const PayoutEnvelope = z.object({ payout: Payout });
export type PayoutEnvelope = z.infer<typeof PayoutEnvelope>;

const Buckets = {
  /** ordered, not yet picked up */
  pendingCents: z.number().int(),
  /** picked up (a refund after pickup takes it back) */
  earnedCents: z.number().int(),
  /** cancelled or refunded */
  reversedCents: z.number().int(),
  /** earned entries a payout has paid */
  paidCents: z.number().int(),
};

export const SettlementLine = z.object({
  orderId: z.string(),
  productName: z.string(),
  orderTotalCents: z.number().int(),
  orderStatus: z.string(),
  orderedAt: z.string(),
  ...Buckets,
});
export type SettlementLine = z.infer<typeof SettlementLine>;

export const SettlementStatement = z
  .object({
    shopId: z.string(),
    leaderId: z.string(),
    leaderName: z.string(),
    /** the signed-in user owns the shop (and may mark a period paid) */
    viewerIsOwner: z.boolean(),
    totals: z.object({ ...Buckets, unpaidCents: z.number().int() }),
    lines: z.array(SettlementLine),
    payouts: z.array(Payout),
  })
  .meta({ id: 'SettlementStatement' });
export type SettlementStatement = z.infer<typeof SettlementStatement>;
