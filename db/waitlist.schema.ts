import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

// Waitlists for sold-out offers (issue 17.4); offers.reserved holds the units reserved.

export type WaitlistState = 'waiting' | 'offered' | 'claimed' | 'expired' | 'left';

export interface WaitlistEntriesTable {
  id: Generated<string>;
  /** bigserial: the order of the line (arrives as a string) */
  seq: ColumnType<string, never, never>;
  offer_id: string;
  stream_id: string;
  user_id: string;
  state: Generated<WaitlistState>;
  /** when a unit was reserved for this entry, and until when */
  offered_at: Timestamp | null;
  expires_at: Timestamp | null;
  /** the order that confirmed the reserved unit */
  order_id: string | null;
  created_at: CreatedAt;
}

export interface WaitlistTables {
  waitlist_entries: WaitlistEntriesTable;
}

export type WaitlistEntryRow = Selectable<WaitlistEntriesTable>;
