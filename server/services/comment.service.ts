import type { Database } from '../../db/database';
import type { CommentRow } from '../../db/realtime.schema';
import {
  addLikes,
  findLikeCount,
  findMuteUntil,
  findStreamForRealtime,
  insertComment,
  listBlockedWords,
  listRecentComments,
  replaceBlockedWords,
  softDeleteComment,
  upsertMute,
  type StreamForRealtime,
} from '../../db/repositories/comment.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import { findCohost, isRemovedParticipant } from '../../db/repositories/stream.repository';
import { isShopModerator } from '../../db/repositories/moderator.repository';
import type { CommentRole } from '../contracts/realtime';
import { AppError } from '../errors';
import { mayWatchMembersOnly } from './member.service';
import type { CommentPayload } from '../realtime/events';
import type { User } from './auth.service';

export const COMMENT_MAX_CHARS = 200;
export const RECENT_COMMENTS = 50;

// Bidirectional controls can make a comment render as something else than it says
// ("Trojan Source"); other control characters have no place in a chat line. Zero-width
// joiners stay allowed: emoji sequences need them.
const FORBIDDEN_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export function commentRowToPayload(row: CommentRow): CommentPayload {
  return {
    id: row.id,
    streamId: row.stream_id,
    userId: row.user_id,
    name: row.author_name,
    text: row.text,
    createdAt: row.created_at.toISOString(),
    role: row.author_role,
  };
}

/** Normalises a comment or says, in a sentence, why it cannot be posted. */
export function normaliseCommentText(raw: string): string {
  const text = raw.normalize('NFC').trim();
  if (!text) throw new AppError('validation_failed', 'Write something first.');
  if ([...text].length > COMMENT_MAX_CHARS) {
    throw new AppError(
      'validation_failed',
      `Comments are limited to ${COMMENT_MAX_CHARS} characters.`,
    );
  }
  if (FORBIDDEN_CHARS.test(text)) {
    throw new AppError(
      'validation_failed',
      'Comments cannot contain control or direction-override characters.',
    );
  }
  return text;
}

/** The blocked word a text contains, compared case-insensitively, if any. */
export function findBlockedWord(text: string, words: readonly string[]): string | undefined {
  const haystack = text.toLocaleLowerCase('zh-CN');
  return words.find((w) => haystack.includes(w.toLocaleLowerCase('zh-CN')));
}

export interface JoinedStream {
  stream: StreamForRealtime;
  canModerate: boolean;
  role: CommentRole | null;
  comments: CommentPayload[];
  likes: number;
}

/**
 * A user's standing in a stream, from the records alone: the shop's owner, a co-host the
 * owner invited on stage and who accepted, or a moderator the owner appointed for the shop.
 * Guests have none. It decides who moderates and the badge on their comments.
 */
export async function streamRole(
  db: Database,
  user: User,
  stream: StreamForRealtime,
): Promise<CommentRole | null> {
  if (user.id === stream.ownerId) return 'owner';
  if (user.guest) return null;
  const [cohost, moderator] = await Promise.all([
    findCohost(db, stream.id, user.id),
    isShopModerator(db, stream.shopId, user.id),
  ]);
  if (cohost?.status === 'accepted') return 'cohost';
  return moderator ? 'moderator' : null;
}

/** The owner, an accepted co-host or an appointed moderator: they delete, mute and remove. */
export async function canModerate(
  db: Database,
  user: User,
  stream: StreamForRealtime,
): Promise<boolean> {
  return (await streamRole(db, user, stream)) !== null;
}

async function refuseRemoved(db: Database, user: User, streamId: string): Promise<void> {
  if (await isRemovedParticipant(db, streamId, user.id)) {
    throw new AppError('participant_removed', 'You were removed from this stream.');
  }
}

/** `user` is null for a visitor without a session: they watch, but cannot post or moderate. */
export async function joinStream(
  db: Database,
  user: User | null,
  streamId: string,
): Promise<JoinedStream> {
  const stream = await findStreamForRealtime(db, streamId);
  if (!stream) throw new AppError('not_found', 'No such stream.');
  if (user) await refuseRemoved(db, user, streamId);
  const role = user ? await streamRole(db, user, stream) : null;
  // A members-only stream's chat and orders are for those who may watch it (the token rule)
  if (
    stream.visibility === 'members' &&
    role === null &&
    !(await mayWatchMembersOnly(db, { id: stream.shopId, owner_id: stream.ownerId }, user))
  ) {
    throw new AppError(
      'members_only',
      "This stream is for the shop's members: join the shop to watch.",
    );
  }
  const [rows, likes] = await Promise.all([
    listRecentComments(db, streamId, RECENT_COMMENTS),
    findLikeCount(db, streamId),
  ]);
  return {
    stream,
    canModerate: role !== null,
    role,
    comments: rows.map(commentRowToPayload),
    likes,
  };
}

export async function postComment(
  db: Database,
  user: User,
  stream: StreamForRealtime,
  rawText: string,
): Promise<CommentPayload> {
  const text = normaliseCommentText(rawText);
  // a removed user's socket may still be open; the record decides
  await refuseRemoved(db, user, stream.id);
  // Read for every comment, never cached: a list the owner just saved applies to the very
  // next comment, on every process.
  const [mutedUntil, words, role] = await Promise.all([
    findMuteUntil(db, stream.id, user.id),
    listBlockedWords(db, stream.shopId),
    streamRole(db, user, stream),
  ]);
  if (mutedUntil) {
    const minutes = Math.max(1, Math.ceil((mutedUntil.getTime() - Date.now()) / 60_000));
    throw new AppError('muted', `You are muted in this stream for ${minutes} more minute(s).`);
  }
  if (findBlockedWord(text, words)) {
    throw new AppError('comment_blocked', 'This comment contains a word the shop does not allow.');
  }
  const row = await insertComment(db, {
    streamId: stream.id,
    userId: user.id,
    authorName: user.name,
    text,
    authorRole: role,
  });
  return commentRowToPayload(row);
}

/** The moderator's role; 403 for anyone else. */
export async function requireModerator(
  db: Database,
  user: User,
  stream: StreamForRealtime,
): Promise<CommentRole> {
  const role = await streamRole(db, user, stream);
  if (!role) {
    throw new AppError(
      'forbidden',
      'Only the shop owner, co-hosts and moderators can moderate this stream.',
    );
  }
  return role;
}

/**
 * Whom a moderator may mute or remove: nobody may act on the owner, and only the owner acts
 * on a co-host or another moderator (so two moderators cannot silence each other).
 */
export async function requireMayActOn(
  db: Database,
  actor: CommentRole,
  stream: StreamForRealtime,
  targetId: string,
): Promise<void> {
  if (targetId === stream.ownerId) {
    throw new AppError('bad_request', 'The shop owner cannot be muted or removed.');
  }
  if (actor === 'owner') return;
  const target = await findCohost(db, stream.id, targetId);
  if (target?.status === 'accepted' || (await isShopModerator(db, stream.shopId, targetId))) {
    throw new AppError(
      'forbidden',
      'Only the shop owner can mute or remove a co-host or moderator.',
    );
  }
}

export async function deleteComment(
  db: Database,
  user: User,
  stream: StreamForRealtime,
  commentId: string,
): Promise<void> {
  await requireModerator(db, user, stream);
  const row = await softDeleteComment(db, {
    id: commentId,
    streamId: stream.id,
    deletedBy: user.id,
  });
  if (!row) throw new AppError('not_found', 'No such comment in this stream.');
}

export async function muteUser(
  db: Database,
  user: User,
  stream: StreamForRealtime,
  target: { userId: string; minutes: number },
): Promise<Date> {
  const role = await requireModerator(db, user, stream);
  if (target.userId === user.id) throw new AppError('bad_request', 'You cannot mute yourself.');
  await requireMayActOn(db, role, stream, target.userId);
  const until = new Date(Date.now() + target.minutes * 60_000);
  await upsertMute(db, { streamId: stream.id, userId: target.userId, until, mutedBy: user.id });
  return until;
}

export async function like(db: Database, streamId: string, count: number): Promise<number> {
  return addLikes(db, streamId, count);
}

async function ownedShop(db: Database, user: User, shopId: string, forbidden: string) {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (user.id !== shop.owner_id) throw new AppError('forbidden', forbidden);
  return shop;
}

export async function getBlockedWords(db: Database, user: User, shopId: string) {
  await ownedShop(db, user, shopId, 'Only the shop owner sees this list.');
  return listBlockedWords(db, shopId);
}

export async function setBlockedWords(
  db: Database,
  user: User,
  shopId: string,
  words: string[],
): Promise<string[]> {
  const shop = await ownedShop(db, user, shopId, 'Only the shop owner edits this list.');
  const unique = [...new Set(words.map((w) => w.normalize('NFC').trim()).filter(Boolean))];
  await replaceBlockedWords(db, shop.id, unique);
  return listBlockedWords(db, shop.id);
}
