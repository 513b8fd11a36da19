import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Database } from '../../db/database';
import type { LeaderInviteRow } from '../../db/leaders.schema';
import {
  findInvite,
  findInviteByTokenHash,
  insertInvite,
  listShopInvites,
  lockInviteByTokenHash,
  markInviteAccepted,
  revokeInvite,
  type LeaderInviteListRow,
} from '../../db/repositories/leader-invite.repository';
import {
  findLeaderByUser,
  insertLeaderUnlessApplied,
  updateLeaderProfile,
} from '../../db/repositories/leader.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import type { LeaderRow, ShopRow } from '../../db/schema';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { approveWithCode, leaderRowToLeader, rateToDecimal, type Leader } from './leader.service';
import {
  INVITE_DAYS_DEFAULT,
  INVITE_DAYS_MAX,
  type Invite,
  type InvitePreview,
  type InviteStatus,
} from '../contracts/leader';

// An owner invites a resident to lead by sending a link; whoever opens it and accepts
// becomes an approved leader at the offered rate, through the same approval as an
// application. The link carries a random token and the database keeps only its SHA-256,
// as with sessions, so the owner sees a link once: lost, it is revoked and made anew.

export { INVITE_DAYS_DEFAULT, INVITE_DAYS_MAX };
/** How many of a shop's invitations the owner's list shows, newest first. */
const INVITE_LIST_LIMIT = 50;

export type { InviteStatus };

export type LeaderInvite = Invite;

export interface LeaderProfileInput {
  displayName: string;
  community?: string | undefined;
  pickupAddress?: string | undefined;
  pickupHours?: string | undefined;
}

function generateInviteToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes); // 32 characters, 160 bits
}

function hashInviteToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** The key an invitation is stored under; null for anything that cannot be a token. */
function inviteTokenHash(token: string): string | null {
  return /^[a-z2-7]{32}$/.test(token) ? hashInviteToken(token) : null;
}

function inviteStatus(row: LeaderInviteRow, now: Date): InviteStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at.getTime() <= now.getTime() ? 'expired' : 'open';
}

function inviteRowToInvite(row: LeaderInviteListRow, now = new Date()): LeaderInvite {
  return {
    id: row.id,
    shopId: row.shop_id,
    note: row.note,
    commissionRate: Number(row.commission_rate),
    status: inviteStatus(row, now),
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    leaderId: row.leader_id,
    leaderName: row.leader_name,
  };
}

/** Refuses an invitation that can no longer be accepted, saying why. */
function assertOpen(row: LeaderInviteRow, now: Date): void {
  switch (inviteStatus(row, now)) {
    case 'accepted':
      throw new AppError('invite_used', 'This invitation has already been accepted.');
    case 'revoked':
      throw new AppError('invite_revoked', 'The shop withdrew this invitation.');
    case 'expired':
      throw new AppError('invite_expired', 'This invitation has expired.');
    case 'open':
      return;
  }
}

async function loadOwnedShop(db: Database, owner: User, shopId: string): Promise<ShopRow> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== owner.id)
    throw new AppError('forbidden', "Only the shop's owner manages its leaders.");
  return shop;
}

export async function createInvite(
  db: Database,
  owner: User,
  shopId: string,
  input: { note?: string | undefined; commissionRate: number; expiresInDays?: number | undefined },
  origin: string,
): Promise<{ invite: LeaderInvite; link: string }> {
  await loadOwnedShop(db, owner, shopId);
  const days = input.expiresInDays ?? INVITE_DAYS_DEFAULT;
  if (!(Number.isInteger(days) && days >= 1 && days <= INVITE_DAYS_MAX))
    throw new AppError('validation_failed', `An invitation lasts 1–${INVITE_DAYS_MAX} days.`);
  const token = generateInviteToken();
  const row = await insertInvite(db, {
    shopId,
    tokenHash: hashInviteToken(token),
    note: input.note ?? null,
    commissionRate: rateToDecimal(input.commissionRate),
    createdBy: owner.id,
    expiresAt: new Date(Date.now() + days * 86_400_000),
  });
  return {
    invite: inviteRowToInvite({ ...row, leader_name: null }),
    link: `${origin}/invite/${token}`,
  };
}

export async function shopInvites(
  db: Database,
  owner: User,
  shopId: string,
): Promise<LeaderInvite[]> {
  await loadOwnedShop(db, owner, shopId);
  const now = new Date();
  return (await listShopInvites(db, shopId, INVITE_LIST_LIMIT)).map((row) =>
    inviteRowToInvite(row, now),
  );
}

export async function withdrawInvite(
  db: Database,
  owner: User,
  shopId: string,
  inviteId: string,
): Promise<LeaderInvite> {
  await loadOwnedShop(db, owner, shopId);
  const revoked = await revokeInvite(db, shopId, inviteId);
  if (!revoked) {
    const existing = await findInvite(db, shopId, inviteId);
    if (!existing) throw new AppError('not_found', 'No such invitation.');
    throw new AppError('invite_used', 'This invitation has already been accepted.');
  }
  return inviteRowToInvite({ ...revoked, leader_name: null });
}

export type { InvitePreview };

/**
 * What a resident sees on opening an invitation link, signed in or not: the token is the
 * secret. A used, revoked or expired invitation answers with its error code, except for
 * the person who accepted it.
 */
export async function previewInvite(
  db: Database,
  viewer: User | null,
  token: string,
): Promise<InvitePreview> {
  const hash = inviteTokenHash(token);
  const row = hash ? await findInviteByTokenHash(db, hash) : undefined;
  if (!row) throw new AppError('not_found', 'No such invitation.');
  const acceptedByYou = viewer !== null && row.accepted_by === viewer.id;
  if (!acceptedByYou) assertOpen(row, new Date());
  const shop = await findShopById(db, row.shop_id);
  if (!shop) throw new AppError('not_found', 'No such invitation.');
  const leader = viewer ? await findLeaderByUser(db, shop.id, viewer.id) : undefined;
  return {
    shop: { id: shop.id, slug: shop.slug, name: shop.name, address: shop.address },
    note: row.note,
    commissionRate: Number(row.commission_rate),
    expiresAt: row.expires_at.toISOString(),
    viewer: viewer && {
      owner: shop.owner_id === viewer.id,
      leaderStatus: leader?.status ?? null,
      acceptedByYou,
    },
  };
}

/**
 * Accepts an invitation: the resident becomes an approved leader of the shop at the
 * invited rate, at once. One transaction holds the invitation's row lock throughout, so of
 * two acceptances (by one person or two) exactly one makes a leader and the other is told
 * the invitation is used; a refusal leaves the invitation open.
 *
 * An existing membership decides: pending or declined → approved with the details given
 * now; approved → already a leader; suspended → refused (the owner reinstates instead).
 */
export async function acceptInvite(
  db: Database,
  user: User,
  token: string,
  profile: LeaderProfileInput,
): Promise<Leader> {
  if (user.guest) throw new AppError('forbidden', 'Create an account to become a leader.');
  const hash = inviteTokenHash(token);
  if (!hash) throw new AppError('not_found', 'No such invitation.');
  return db.transaction().execute(async (trx) => {
    const invite = await lockInviteByTokenHash(trx, hash);
    if (!invite) throw new AppError('not_found', 'No such invitation.');
    assertOpen(invite, new Date());
    const shop = await findShopById(trx, invite.shop_id);
    if (!shop) throw new AppError('not_found', 'No such invitation.');
    if (shop.owner_id === user.id)
      throw new AppError('forbidden', 'The owner cannot lead for their own shop.');

    const details = {
      displayName: profile.displayName,
      community: profile.community ?? null,
      pickupAddress: profile.pickupAddress ?? null,
      pickupHours: profile.pickupHours ?? null,
    };
    let current: LeaderRow | undefined =
      (await insertLeaderUnlessApplied(trx, { shopId: shop.id, userId: user.id, ...details })) ??
      undefined;
    if (!current) {
      const existing = await findLeaderByUser(trx, shop.id, user.id);
      if (existing?.status === 'approved')
        throw new AppError('already_leader', 'You are already a leader of this shop.');
      if (existing?.status === 'suspended')
        throw new AppError(
          'leader_suspended',
          'Your leadership of this shop is suspended; ask the owner to reinstate you.',
        );
      current = existing
        ? await updateLeaderProfile(trx, {
            shopId: shop.id,
            leaderId: existing.id,
            from: ['pending', 'declined'],
            ...details,
          })
        : undefined;
      // the owner acted on the membership in between
      if (!current)
        throw new AppError('conflict', 'Your membership just changed; open the link again.');
    }

    const approved = await approveWithCode(trx, current, invite.commission_rate, [
      'pending',
      'declined',
    ]);
    if (!approved)
      throw new AppError('conflict', 'Your membership just changed; open the link again.');
    // the row lock makes this certain; the condition keeps it true even without one
    const accepted = await markInviteAccepted(trx, {
      inviteId: invite.id,
      userId: user.id,
      leaderId: approved.id,
    });
    if (!accepted) throw new AppError('invite_used', 'This invitation is no longer open.');
    return leaderRowToLeader(approved);
  });
}
