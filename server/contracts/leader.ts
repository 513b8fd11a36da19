import { z } from 'zod';
import { LiveRank } from './leaderboard';
import { DisplayName, hasNoNul, lineOfText, NO_NUL, textBlock } from './common';

export const LeaderStatus = z.enum(['pending', 'approved', 'declined', 'suspended']);
export type LeaderStatus = z.infer<typeof LeaderStatus>;

export const Leader = z
  .object({
    id: z.string(),
    shopId: z.string(),
    userId: z.string(),
    displayName: z.string(),
    community: z.string().nullable(),
    status: LeaderStatus,
    code: z.string().nullable(),
    commissionRate: z.number().nullable(),
    pickupAddress: z.string().nullable(),
    pickupHours: z.string().nullable(),
  })
  .meta({ id: 'Leader' });
export type Leader = z.infer<typeof Leader>;

export const LeaderEnvelope = z.object({ leader: Leader });
export type LeaderEnvelope = z.infer<typeof LeaderEnvelope>;

const CommissionTotals = z.object({
  pendingCents: z.number(),
  earnedCents: z.number(),
  reversedCents: z.number(),
});

export const LeaderStats = z
  .object({
    clicks: z.number(),
    visitors: z.number(),
    orders: z.number(),
    buyers: z.number(),
    units: z.number(),
    gmvCents: z.number(),
    /** buyers ÷ visitors, 0 when nobody came */
    conversion: z.number(),
    commission: CommissionTotals,
  })
  .meta({ id: 'LeaderStats' });
export type LeaderStats = z.infer<typeof LeaderStats>;

/** GET /api/shops/:shopId/leaders (owner) */
export const LeaderBoard = z.object({
  leaders: z.array(z.object({ leader: Leader, stats: LeaderStats })),
});
export type LeaderBoard = z.infer<typeof LeaderBoard>;

export const Membership = z.object({
  leaderId: z.string(),
  displayName: z.string(),
  shopId: z.string(),
  shopSlug: z.string(),
  shopName: z.string(),
  status: LeaderStatus,
  code: z.string().nullable(),
  link: z.string().nullable(),
  commissionRate: z.number().nullable(),
  stats: LeaderStats,
  /** The leader's place on the 团长榜 of each live stream of this shop, now. */
  liveRanks: z.array(LiveRank),
  recentOrders: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      quantity: z.number(),
      totalCents: z.number(),
      commissionCents: z.number(),
      state: z.string(),
      buyerName: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type Membership = z.infer<typeof Membership>;

/** GET /api/leader/me */
export const Memberships = z.object({ memberships: z.array(Membership) });
export type Memberships = z.infer<typeof Memberships>;

/**
 * A stream a leader can share now: upcoming, live, or ended and still worth opening (its sale
 * is open, or its replay is ready). `link` is the leader's own `/live/<id>?ref=<code>`.
 */
export const ShareableStream = z
  .object({
    streamId: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    leaderName: z.string(),
    title: z.string(),
    status: z.enum(['scheduled', 'live', 'ended']),
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    saleEndsAt: z.string().nullable(),
    coverUrl: z.string().nullable(),
    /** the pinned (else first) offer's product picture, for a poster without a cover */
    imageUrl: z.string().nullable(),
    replayReady: z.boolean(),
    link: z.string(),
  })
  .meta({ id: 'ShareableStream' });
export type ShareableStream = z.infer<typeof ShareableStream>;

/** GET /api/leader/me/streams: live first, then upcoming (soonest first), then replays. */
export const ShareableStreams = z.object({ streams: z.array(ShareableStream) });
export type ShareableStreams = z.infer<typeof ShareableStreams>;

/** GET /api/leader/me/statements/:shopId?month=YYYY-MM */
export const Statement = z.object({
  month: z.string(),
  totals: CommissionTotals,
  entries: z.array(
    z.object({
      orderId: z.string(),
      productName: z.string(),
      orderTotalCents: z.number(),
      bucket: z.string(),
      amountCents: z.number(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
});
export type Statement = z.infer<typeof Statement>;

export const StatementQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
});

export const LeaderParams = z.object({ shopId: z.uuid(), leaderId: z.uuid() });

export const RateBody = z.strictObject({ commissionRate: z.number().min(0).max(1) });
export type RateBody = z.infer<typeof RateBody>;

const optionalText = (max: number) => textBlock(max).optional();

/** What a resident tells the shop about themselves, applying or accepting an invitation. */
export const LeaderProfileBody = z.strictObject({
  displayName: DisplayName,
  community: optionalText(60),
  pickupAddress: optionalText(200),
  pickupHours: optionalText(100),
});
export type LeaderProfileBody = z.infer<typeof LeaderProfileBody>;

/** POST /api/referrals/clicks: a per-stream leader link was opened. */
export const ReferralClickBody = z.strictObject({
  code: z.string().min(1).max(32).refine(hasNoNul, NO_NUL),
  streamId: z.uuid().optional(),
});

// Invitations by link (/invite/<token>).

export const INVITE_DAYS_DEFAULT = 7;
export const INVITE_DAYS_MAX = 30;

export const InviteStatus = z.enum(['open', 'accepted', 'revoked', 'expired']);
export type InviteStatus = z.infer<typeof InviteStatus>;

export const Invite = z
  .object({
    id: z.string(),
    shopId: z.string(),
    note: z.string().nullable(),
    commissionRate: z.number(),
    status: InviteStatus,
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedAt: z.string().nullable(),
    leaderId: z.string().nullable(),
    /** the display name of the leader who accepted it */
    leaderName: z.string().nullable(),
  })
  .meta({ id: 'LeaderInvite' });
export type Invite = z.infer<typeof Invite>;

export const InviteEnvelope = z.object({ invite: Invite });
export type InviteEnvelope = z.infer<typeof InviteEnvelope>;
export const InviteList = z.object({ invites: z.array(Invite) });
export type InviteList = z.infer<typeof InviteList>;
/** The answer to creating an invitation: its link is shown only this once. */
export const CreatedInvite = z.object({ invite: Invite, link: z.string() });
export type CreatedInvite = z.infer<typeof CreatedInvite>;

export const InvitePreview = z
  .object({
    shop: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      address: z.string().nullable(),
    }),
    note: z.string().nullable(),
    commissionRate: z.number(),
    expiresAt: z.string(),
    /** what the invitation means for whoever is looking, when signed in */
    viewer: z
      .object({
        owner: z.boolean(),
        leaderStatus: LeaderStatus.nullable(),
        /** true once this viewer has accepted it: the link still leads them somewhere useful */
        acceptedByYou: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'LeaderInvitePreview' });
export type InvitePreview = z.infer<typeof InvitePreview>;

export const InvitePreviewEnvelope = z.object({ invite: InvitePreview });
export type InvitePreviewEnvelope = z.infer<typeof InvitePreviewEnvelope>;

export const CreateInviteBody = z.strictObject({
  note: lineOfText(60)
    .optional()
    .meta({ description: 'Whom the invitation is for, as a reminder to the owner' }),
  commissionRate: z.number().min(0).max(1),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(INVITE_DAYS_MAX)
    .optional()
    .meta({ description: `Days until the link stops working (default ${INVITE_DAYS_DEFAULT})` }),
});
export type CreateInviteBody = z.infer<typeof CreateInviteBody>;

export const InviteParams = z.object({ shopId: z.uuid(), inviteId: z.uuid() });
// Any string: a token that cannot exist is simply not found, like an unknown one.
export const InviteTokenParams = z.object({
  token: z.string().min(1).max(64).refine(hasNoNul, NO_NUL),
});
