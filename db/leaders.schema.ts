import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

// Tables of the leaders capability, merged into DB in schema.ts.

export interface LeaderClicksTable {
  id: Generated<ColumnType<number, never, never>>;
  shop_id: string;
  leader_id: string;
  visitor_key: string;
  user_id: string | null;
  stream_id: string | null;
  source: Generated<'link' | 'order'>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** An owner's invitation to lead; single use, found by the SHA-256 of its link's token. */
export interface LeaderInvitesTable {
  id: Generated<string>;
  shop_id: string;
  token_hash: string;
  note: string | null;
  /** numeric(5,4): arrives as a string to keep its exact decimal value */
  commission_rate: ColumnType<string, string | number, string | number>;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  leader_id: string | null;
}

export type LeaderInviteRow = Selectable<LeaderInvitesTable>;
export type NewLeaderInviteRow = Insertable<LeaderInvitesTable>;

export interface LeadersTables {
  leader_clicks: LeaderClicksTable;
  leader_invites: LeaderInvitesTable;
}
