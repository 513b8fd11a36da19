import type { ColumnType, Generated } from 'kysely';

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

export interface LeadersTables {
  leader_clicks: LeaderClicksTable;
}
