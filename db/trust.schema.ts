import type { ColumnType } from 'kysely';

// The leader trust index's daily history (issue 14.4).

export interface LeaderTrustDaysTable {
  leader_id: string;
  /** YYYY-MM-DD in the shops' time zone */
  day: ColumnType<string, string, string>;
  score: number;
  satisfaction: number;
  activity: number;
  speed: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TrustTables {
  leader_trust_days: LeaderTrustDaysTable;
}
