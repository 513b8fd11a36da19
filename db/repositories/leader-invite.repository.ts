import { sql, type Transaction } from 'kysely';
import type { Database } from '../database';
import type { LeaderInviteRow } from '../leaders.schema';
import type { DB } from '../schema';

// Invitations to lead a shop. Single use is kept by the database: the invitation is locked
// while it is being accepted, and marked accepted only if it is still open.

export async function insertInvite(
  db: Database,
  invite: {
    shopId: string;
    tokenHash: string;
    note: string | null;
    commissionRate: string;
    createdBy: string;
    expiresAt: Date;
  },
): Promise<LeaderInviteRow> {
  return db
    .insertInto('leader_invites')
    .values({
      shop_id: invite.shopId,
      token_hash: invite.tokenHash,
      note: invite.note,
      commission_rate: invite.commissionRate,
      created_by: invite.createdBy,
      expires_at: invite.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type LeaderInviteListRow = LeaderInviteRow & { leader_name: string | null };

/** A shop's invitations, each with the name of the leader it made (if it made one yet). */
function invitesOf(db: Database, shopId: string) {
  return db
    .selectFrom('leader_invites')
    .leftJoin('leaders', 'leaders.id', 'leader_invites.leader_id')
    .selectAll('leader_invites')
    .select('leaders.display_name as leader_name')
    .where('leader_invites.shop_id', '=', shopId);
}

/** A shop's invitations, newest first, with the name of the leader each one made. */
export async function listShopInvites(
  db: Database,
  shopId: string,
  limit: number,
): Promise<LeaderInviteListRow[]> {
  return invitesOf(db, shopId)
    .orderBy('leader_invites.created_at', 'desc')
    .orderBy('leader_invites.id')
    .limit(limit)
    .execute();
}

export async function findInviteByTokenHash(
  db: Database,
  tokenHash: string,
): Promise<LeaderInviteRow | undefined> {
  return db
    .selectFrom('leader_invites')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * The invitation, locked until the transaction ends: a second acceptance of the same link
 * waits here and then sees the first one's outcome.
 */
export async function lockInviteByTokenHash(
  trx: Transaction<DB>,
  tokenHash: string,
): Promise<LeaderInviteRow | undefined> {
  return trx
    .selectFrom('leader_invites')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks an open invitation accepted; undefined when it was used, revoked or expired. */
export async function markInviteAccepted(
  trx: Transaction<DB>,
  opts: { inviteId: string; userId: string; leaderId: string },
): Promise<LeaderInviteRow | undefined> {
  return trx
    .updateTable('leader_invites')
    .set({ accepted_at: sql<Date>`now()`, accepted_by: opts.userId, leader_id: opts.leaderId })
    .where('id', '=', opts.inviteId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/** Revokes an invitation nobody has accepted; a second revoke keeps the first time. */
export async function revokeInvite(
  db: Database,
  shopId: string,
  inviteId: string,
): Promise<LeaderInviteRow | undefined> {
  return db
    .updateTable('leader_invites')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', inviteId)
    .where('shop_id', '=', shopId)
    .where('accepted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findInvite(
  db: Database,
  shopId: string,
  inviteId: string,
): Promise<LeaderInviteListRow | undefined> {
  return invitesOf(db, shopId).where('leader_invites.id', '=', inviteId).executeTakeFirst();
}
