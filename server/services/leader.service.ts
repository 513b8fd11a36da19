import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { inSavepoint, type Database } from '../../db/database';
import type { LeaderRow } from '../../db/schema';
import { leaderLiveRanks } from '../../db/repositories/leaderboard.repository';
import {
  findLeader,
  findLeaderByCode,
  insertLeaderUnlessApplied,
  leaderNumbers,
  ledgerEntriesBetween,
  listShareableStreamRows,
  listShopLeaders,
  listUserLeaderships,
  recentLeaderOrders,
  recordClickUnlessRecent,
  transitionLeader,
  updateLeaderRate,
  findLeaderByUser,
  NO_LEADER_NUMBERS,
  type LeaderNumbers,
} from '../../db/repositories/leader.repository';
import { findShopById, listShopStreams } from '../../db/repositories/shop.repository';
import { findStream } from '../../db/repositories/stream.repository';
import { AppError } from '../errors';
import { CLICK_DEDUPE_SECONDS } from './attribution.service';
import { maskName } from '../rules/names';
import { replayOf } from './replay.service';
import type { User } from './auth.service';
import type { Leader, LeaderStats, Membership, ShareableStream } from '../contracts/leader';

export type { Leader, LeaderStats, Membership, ShareableStream };

export function leaderRowToLeader(row: LeaderRow): Leader {
  return {
    id: row.id,
    shopId: row.shop_id,
    userId: row.user_id,
    displayName: row.display_name,
    community: row.community,
    status: row.status,
    code: row.code,
    commissionRate: row.commission_rate === null ? null : Number(row.commission_rate),
    pickupAddress: row.pickup_address,
    pickupHours: row.pickup_hours,
  };
}

function toStats(n: LeaderNumbers | undefined): LeaderStats {
  const z = n ?? NO_LEADER_NUMBERS;
  return {
    clicks: z.clicks,
    visitors: z.visitors,
    orders: z.orders,
    buyers: z.buyers,
    units: z.units,
    gmvCents: z.gmvCents,
    conversion: z.visitors ? Math.round((z.buyers / z.visitors) * 10_000) / 10_000 : 0,
    commission: {
      pendingCents: z.pendingCents,
      earnedCents: z.earnedCents,
      reversedCents: z.reversedCents,
    },
  };
}

/** A commission rate 0–1 as the exact numeric(5,4) string the database keeps. */
export function rateToDecimal(rate: number): string {
  if (!(rate >= 0 && rate <= 1))
    throw new AppError('validation_failed', 'The commission rate is between 0 and 1.');
  return (Math.round(rate * 10_000) / 10_000).toFixed(4);
}

function newLeaderCode(): string {
  const bytes = new Uint8Array(5);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes); // 8 characters
}

async function loadOwnedShop(db: Database, owner: User, shopId: string) {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== owner.id)
    throw new AppError('forbidden', "Only the shop's owner manages its leaders.");
  return shop;
}

export async function applyToLead(
  db: Database,
  user: User,
  shopId: string,
  input: {
    displayName: string;
    community?: string | undefined;
    pickupAddress?: string | undefined;
    pickupHours?: string | undefined;
  },
): Promise<Leader> {
  if (user.guest) throw new AppError('forbidden', 'Create an account to become a leader.');
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id === user.id)
    throw new AppError('bad_request', 'The owner cannot lead for their own shop.');
  const row = await insertLeaderUnlessApplied(db, {
    shopId,
    userId: user.id,
    displayName: input.displayName,
    community: input.community ?? null,
    pickupAddress: input.pickupAddress ?? null,
    pickupHours: input.pickupHours ?? null,
  });
  if (!row) throw new AppError('conflict', 'You have already applied to this shop.');
  return leaderRowToLeader(row);
}

export async function approveLeader(
  db: Database,
  owner: User,
  shopId: string,
  leaderId: string,
  commissionRate: number,
): Promise<Leader> {
  await loadOwnedShop(db, owner, shopId);
  const rate = rateToDecimal(commissionRate);
  const current = await findLeader(db, shopId, leaderId);
  if (!current) throw new AppError('not_found', 'No such leader.');
  const row = await approveWithCode(db, current, rate, ['pending', 'suspended', 'declined']);
  if (!row) throw new AppError('conflict', 'This leader is already approved.');
  return leaderRowToLeader(row);
}

/**
 * The one way a leader becomes approved — by the owner, or by accepting an invitation: the
 * rate is set and a code allocated, so links, posters, the pickup point and the ledger work
 * the same either way. A leader keeps their code (and every link already shared) across
 * suspensions. Undefined when the leader was no longer in one of `from`. Safe inside a
 * transaction: a code collision is retried behind a savepoint.
 */
export async function approveWithCode(
  db: Database,
  current: LeaderRow,
  rate: string,
  from: LeaderRow['status'][],
): Promise<LeaderRow | undefined> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      return await inSavepoint(db, 'approve_leader', () =>
        transitionLeader(db, {
          shopId: current.shop_id,
          leaderId: current.id,
          from,
          to: 'approved',
          code: current.code ?? newLeaderCode(),
          commissionRate: rate,
        }),
      );
    } catch (err) {
      const duplicate = err instanceof Error && /leaders_code_key|duplicate key/.test(err.message);
      if (!duplicate || current.code) throw err;
    }
  }
  throw new AppError('conflict', 'Could not allocate a leader code; try again.');
}

export async function setLeaderStatus(
  db: Database,
  owner: User,
  shopId: string,
  leaderId: string,
  to: 'declined' | 'suspended',
): Promise<Leader> {
  await loadOwnedShop(db, owner, shopId);
  const row = await transitionLeader(db, {
    shopId,
    leaderId,
    from: to === 'declined' ? ['pending'] : ['approved'],
    to,
  });
  if (!row) {
    const exists = await findLeader(db, shopId, leaderId);
    if (!exists) throw new AppError('not_found', 'No such leader.');
    throw new AppError('conflict', `A ${exists.status} leader cannot be ${to}.`);
  }
  return leaderRowToLeader(row);
}

/** Changes the rate for new orders; orders already placed keep their snapshot. */
export async function changeLeaderRate(
  db: Database,
  owner: User,
  shopId: string,
  leaderId: string,
  commissionRate: number,
): Promise<Leader> {
  await loadOwnedShop(db, owner, shopId);
  const row = await updateLeaderRate(db, shopId, leaderId, rateToDecimal(commissionRate));
  if (!row) throw new AppError('not_found', 'No such leader.');
  return leaderRowToLeader(row);
}

export async function shopLeaderBoard(db: Database, owner: User, shopId: string) {
  await loadOwnedShop(db, owner, shopId);
  const rows = await listShopLeaders(db, shopId);
  const numbers = await leaderNumbers(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    leader: leaderRowToLeader(row),
    stats: toStats(numbers.get(row.id)),
  }));
}

/** A leader's own numbers, per shop; never anyone else's. */
export async function myMemberships(
  db: Database,
  user: User,
  origin: string,
): Promise<Membership[]> {
  const rows = await listUserLeaderships(db, user.id);
  const ids = rows.map((r) => r.id);
  const [numbers, ranks] = await Promise.all([leaderNumbers(db, ids), leaderLiveRanks(db, ids)]);
  return Promise.all(
    rows.map(async (row) => ({
      leaderId: row.id,
      displayName: row.display_name,
      shopId: row.shop_id,
      shopSlug: row.shop_slug,
      shopName: row.shop_name,
      status: row.status,
      code: row.code,
      link: row.code && row.status === 'approved' ? `${origin}/s/${row.code}` : null,
      commissionRate: row.commission_rate === null ? null : Number(row.commission_rate),
      stats: toStats(numbers.get(row.id)),
      liveRanks: ranks
        .filter((r) => r.leader_id === row.id)
        .map((r) => ({
          streamId: r.stream_id,
          title: r.title,
          rank: r.rank,
          orders: r.orders,
          units: r.units,
          ranked: r.ranked,
        })),
      recentOrders: (await recentLeaderOrders(db, row.id, 10)).map((o) => ({
        id: o.id,
        productName: o.product_name,
        quantity: o.quantity,
        totalCents: o.total_cents,
        commissionCents: o.commission_cents,
        state: o.state,
        buyerName: maskName(o.buyer_name),
        createdAt: o.created_at.toISOString(),
      })),
    })),
  );
}

/** How long after its end a stream with a ready replay is still offered for sharing. */
const REPLAY_SHARE_DAYS = 30;

const SHARE_ORDER: Record<ShareableStream['status'], number> = { live: 0, scheduled: 1, ended: 2 };

/**
 * The streams the signed-in leader can share, across the shops they are approved for: each
 * upcoming and live one, and each ended one whose sale is still open or whose replay is
 * ready, with the leader's own `?ref=` link. Live first, then the soonest planned, then
 * the most recent replays.
 */
export async function myShareableStreams(
  db: Database,
  user: User,
  origin: string,
  now = new Date(),
): Promise<ShareableStream[]> {
  const leaderships = (await listUserLeaderships(db, user.id)).filter(
    (l) => l.status === 'approved' && l.code !== null,
  );
  const byShop = new Map(leaderships.map((l) => [l.shop_id, l]));
  const rows = await listShareableStreamRows(db, [...byShop.keys()], {
    now,
    endedAfter: new Date(now.getTime() - REPLAY_SHARE_DAYS * 86_400_000),
  });
  const streams: ShareableStream[] = [];
  for (const row of rows) {
    const leader = byShop.get(row.shop_id);
    if (!leader?.code) continue;
    let replayReady = false;
    if (row.status === 'ended') {
      replayReady = (await replayOf(db, row))?.status === 'ready';
      const saleOpen = row.sale_ends_at !== null && row.sale_ends_at > now;
      if (!saleOpen && !replayReady) continue;
    }
    streams.push({
      streamId: row.id,
      shopId: row.shop_id,
      shopName: leader.shop_name,
      leaderName: leader.display_name,
      title: row.title,
      status: row.status,
      scheduledAt: row.scheduled_at?.toISOString() ?? null,
      startedAt: row.started_at?.toISOString() ?? null,
      endedAt: row.ended_at?.toISOString() ?? null,
      saleEndsAt: row.sale_ends_at?.toISOString() ?? null,
      coverUrl: row.cover_url,
      imageUrl: row.offer_image_url,
      replayReady,
      link: `${origin}/live/${row.id}?ref=${encodeURIComponent(leader.code)}`,
    });
  }
  // a planned stream with no time yet ("coming soon") after those with one
  const at = (s: ShareableStream) =>
    Date.parse((s.status === 'ended' ? s.endedAt : (s.startedAt ?? s.scheduledAt)) ?? '') ||
    Number.MAX_SAFE_INTEGER;
  return streams.sort(
    (a, b) =>
      SHARE_ORDER[a.status] - SHARE_ORDER[b.status] ||
      (a.status === 'ended' ? at(b) - at(a) : at(a) - at(b)),
  );
}

/** One month's commission movements for the signed-in leader in one shop. */
export async function monthlyStatement(db: Database, user: User, shopId: string, month: string) {
  const leader = await findLeaderByUser(db, shopId, user.id);
  if (!leader) throw new AppError('not_found', 'You are not a leader of this shop.');
  const [year, mon] = month.split('-').map(Number);
  if (!year || !mon) throw new AppError('validation_failed', 'month is YYYY-MM.');
  // months are China time: 00:00 +08:00 on the 1st
  const from = new Date(Date.UTC(year, mon - 1, 1) - 8 * 3_600_000);
  const to = new Date(Date.UTC(year, mon, 1) - 8 * 3_600_000);
  const entries = await ledgerEntriesBetween(db, { leaderId: leader.id, from, to });
  const totals = { pendingCents: 0, earnedCents: 0, reversedCents: 0 };
  for (const e of entries) {
    if (e.bucket === 'pending') totals.pendingCents += e.amount_cents;
    else if (e.bucket === 'earned') totals.earnedCents += e.amount_cents;
    else totals.reversedCents += e.amount_cents;
  }
  return {
    month,
    totals,
    entries: entries.map((e) => ({
      orderId: e.order_id,
      productName: e.product_name,
      orderTotalCents: e.total_cents,
      bucket: e.bucket,
      amountCents: e.amount_cents,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
}

/**
 * Opens a leader link: records the click (once per visitor per minute) and says where to
 * send the visitor. A shop link (`streamId` undefined) counts against the shop's live stream,
 * if one is live. Unknown codes and leaders who are not approved record nothing.
 */
export async function openLeaderLink(
  db: Database,
  opts: { code: string; visitorKey: string; userId: string | null; streamId?: string | null },
): Promise<{ shopSlug: string; liveStreamId: string | null } | null> {
  const leader = await findLeaderByCode(db, opts.code);
  if (!leader || leader.status !== 'approved') return null;
  const shop = await findShopById(db, leader.shop_id);
  if (!shop) return null;
  let liveStreamId: string | null = null;
  if (opts.streamId === undefined) {
    const streams = await listShopStreams(db, shop.id);
    liveStreamId = streams.find((st) => st.status === 'live')?.id ?? null;
  }
  await recordClickUnlessRecent(
    db,
    {
      shopId: leader.shop_id,
      leaderId: leader.id,
      visitorKey: opts.visitorKey,
      userId: opts.userId,
      streamId: opts.streamId === undefined ? liveStreamId : opts.streamId,
      source: 'link',
    },
    CLICK_DEDUPE_SECONDS,
  );
  return { shopSlug: shop.slug, liveStreamId };
}

/**
 * Records the opening of a leader link on a page (/live/<id>?ref=<code>, POST
 * /api/referrals/clicks); without `streamId` the click names no stream (unlike /s/<code>, no
 * live stream is looked up).
 * A click names a stream of the link's own shop: an unknown stream, or another shop's, is
 * refused (404, the same answer for both) rather than recorded against the wrong shop.
 */
export async function recordLinkClick(
  db: Database,
  opts: { code: string; visitorKey: string; userId: string | null; streamId?: string },
): Promise<void> {
  if (opts.streamId) await assertStreamOfLink(db, opts.code, opts.streamId);
  await openLeaderLink(db, {
    code: opts.code,
    visitorKey: opts.visitorKey,
    userId: opts.userId,
    streamId: opts.streamId ?? null,
  });
}

async function assertStreamOfLink(db: Database, code: string, streamId: string): Promise<void> {
  const leader = await findLeaderByCode(db, code);
  // an unknown or inactive code records nothing anyway (openLeaderLink)
  if (!leader) return;
  const stream = await findStream(db, streamId);
  if (!stream || stream.shop_id !== leader.shop_id) {
    throw new AppError('not_found', "No such stream in this link's shop.");
  }
}
