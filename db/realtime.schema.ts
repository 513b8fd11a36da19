import type { ColumnType, Generated, Selectable } from 'kysely';
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
  /** The author's standing in the stream when they wrote it; null for everyone else. */
  author_role: ColumnType<CommentRole | null, CommentRole | null | undefined, never>;
}

export type CommentRole = 'owner' | 'cohost' | 'moderator';

/** People the owner appointed to moderate the shop's streams. */
export interface ShopModeratorsTable {
  shop_id: string;
  user_id: string;
  appointed_by: string;
  created_at: CreatedAt;
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
  shop_moderators: ShopModeratorsTable;
}

export type CommentRow = Selectable<CommentsTable>;
