import type { Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

// Settlement (issue 14.5): the owner pays a leader every earned, unpaid ledger entry up to a
// moment; payout_entries links each paid entry to its payout, once (its primary key).

export interface PayoutsTable {
  id: Generated<string>;
  shop_id: string;
  leader_id: string;
  /** the previous payout's period_end, or the first paid entry's time */
  period_start: Timestamp;
  /** every earned entry up to this moment, not paid before, is in this payout */
  period_end: Timestamp;
  /** the sum of its entries' amounts */
  amount_cents: number;
  created_by: string;
  created_at: CreatedAt;
}

export interface PayoutEntriesTable {
  /** commission_ledger.id of an earned entry: paid once */
  ledger_id: number;
  payout_id: string;
}

export interface PayoutsTables {
  payouts: PayoutsTable;
  payout_entries: PayoutEntriesTable;
}

export type PayoutRow = Selectable<PayoutsTable>;
export type NewPayoutRow = Insertable<PayoutsTable>;
