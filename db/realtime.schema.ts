import type { Generated, Selectable } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

// Tables of the realtime capability, merged into DB in schema.ts.

export interface CommentsTable {
  id: Generated<string>;
  stream_id: string;
  user_id: string;
  /** The author's name when they wrote it: comments are a record, names can change. */
  author_name: string;
  text: string;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
}

export interface StreamMutesTable {
  stream_id: string;
  user_id: string;
  muted_until: Timestamp;
  muted_by: string;
  created_at: CreatedAt;
}

export interface ShopBlockedWordsTable {
  shop_id: string;
  word: string;
  created_at: CreatedAt;
}

export interface RealtimeTables {
  comments: CommentsTable;
  stream_mutes: StreamMutesTable;
  shop_blocked_words: ShopBlockedWordsTable;
}

export type CommentRow = Selectable<CommentsTable>;
