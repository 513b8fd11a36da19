import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

// Notices that reach people (issue 14.6).

export type NotificationKind =
  | 'stream_live'
  | 'group_formed'
  | 'group_failed'
  | 'order_ready'
  | 'refund_decided'
  | 'leader_decided'
  | 'commission_earned'
  | 'waitlist_offer';

export type EmailState = 'none' | 'pending' | 'sent' | 'failed';

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: NotificationKind;
  stream_id: string | null;
  /** what the notice tells (names, amounts), as the text templates use them */
  data: ColumnType<Record<string, unknown>, string, string>;
  /** one notice per event and recipient: a repeat of the event inserts nothing */
  dedupe_key: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
  email_state: Generated<EmailState>;
  email_attempts: Generated<number>;
  emailed_at: Timestamp | null;
}

export interface StreamRemindersTable {
  stream_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface NotificationsTables {
  notifications: NotificationsTable;
  stream_reminders: StreamRemindersTable;
}

export type NotificationRow = Selectable<NotificationsTable>;
