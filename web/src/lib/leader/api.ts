// Shapes of the leader endpoints, checked at runtime with zod (no casts on outside data).
import { z } from 'zod';
import type { Parser } from '../api/response';

const Stats = z.object({
  clicks: z.number(),
  visitors: z.number(),
  orders: z.number(),
  buyers: z.number(),
  units: z.number(),
  gmvCents: z.number(),
  conversion: z.number(),
  commission: z.object({
    pendingCents: z.number(),
    earnedCents: z.number(),
    reversedCents: z.number(),
  }),
});
export type LeaderStats = z.infer<typeof Stats>;

const LeaderStatus = z.enum(['pending', 'approved', 'declined', 'suspended']);
export type LeaderStatus = z.infer<typeof LeaderStatus>;

const Membership = z.object({
  leaderId: z.string(),
  displayName: z.string(),
  shopId: z.string(),
  shopSlug: z.string(),
  shopName: z.string(),
  status: LeaderStatus,
  code: z.string().nullable(),
  link: z.string().nullable(),
  commissionRate: z.number().nullable(),
  stats: Stats,
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

const Leader = z.object({
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
});
export type Leader = z.infer<typeof Leader>;

function parser<T>(schema: z.ZodType<T>): Parser<T> {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : null;
  };
}

export const parseMemberships = parser(z.object({ memberships: z.array(Membership) }));
export const parseLeaderEnvelope = parser(z.object({ leader: Leader }));
export const parseLeaderBoard = parser(
  z.object({ leaders: z.array(z.object({ leader: Leader, stats: Stats })) }),
);

const InviteStatus = z.enum(['open', 'accepted', 'revoked', 'expired']);
export type InviteStatus = z.infer<typeof InviteStatus>;

const Invite = z.object({
  id: z.string(),
  shopId: z.string(),
  note: z.string().nullable(),
  commissionRate: z.number(),
  status: InviteStatus,
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  leaderId: z.string().nullable(),
  leaderName: z.string().nullable(),
});
export type Invite = z.infer<typeof Invite>;

const InvitePreview = z.object({
  shop: z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    address: z.string().nullable(),
  }),
  note: z.string().nullable(),
  commissionRate: z.number(),
  expiresAt: z.string(),
  viewer: z
    .object({
      owner: z.boolean(),
      leaderStatus: LeaderStatus.nullable(),
      acceptedByYou: z.boolean(),
    })
    .nullable(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;

export const parseInvites = parser(z.object({ invites: z.array(Invite) }));
export const parseInviteEnvelope = parser(z.object({ invite: Invite }));
export const parseCreatedInvite = parser(z.object({ invite: Invite, link: z.string() }));
export const parseInvitePreview = parser(z.object({ invite: InvitePreview }));

/** The answers an invitation link can give besides an open invitation. */
export type ClosedInvite = 'used' | 'expired' | 'revoked' | 'unknown';

export function closedInviteReason(code: string): ClosedInvite | null {
  switch (code) {
    case 'invite_used':
      return 'used';
    case 'invite_expired':
      return 'expired';
    case 'invite_revoked':
      return 'revoked';
    case 'not_found':
    case 'validation_failed':
      return 'unknown';
    default:
      return null;
  }
}

/** 0.08 → "8%" */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return `${(Math.round(rate * 10_000) / 100).toString()}%`;
}
