// The shop's private domain (SPEC journey 15): residents join a shop through its page or a
// leader's link, credited to that leader; members-only streams are watched by members alone.
import { z } from 'zod';
import { LeaderRef } from './common';

/** Who brought a member: the leader of their last click on the shop when they joined. */
export const MemberLeader = z
  .object({ id: z.string(), displayName: z.string(), community: z.string().nullable() })
  .meta({ id: 'MemberLeader' });

/** POST/GET /api/shops/:shopId/members/me: my membership of the shop. */
export const ShopMembership = z
  .object({
    member: z.boolean(),
    /** when I joined; null when I am not a member */
    joinedAt: z.string().nullable(),
    leader: MemberLeader.nullable(),
  })
  .meta({ id: 'ShopMembership' });
export type ShopMembership = z.infer<typeof ShopMembership>;

export const ShopMembershipEnvelope = z.object({ membership: ShopMembership });
export type ShopMembershipEnvelope = z.infer<typeof ShopMembershipEnvelope>;

/** One member as the owner sees them. */
export const ShopMember = z
  .object({
    userId: z.string(),
    name: z.string(),
    leader: MemberLeader.nullable(),
    joinedAt: z.string(),
    /** orders this member placed in the shop, cancelled ones left out */
    orders: z.number().int(),
  })
  .meta({ id: 'ShopMember' });
export type ShopMember = z.infer<typeof ShopMember>;

/** GET /api/shops/:shopId/members (owner), newest first. */
export const ShopMemberList = z.object({ members: z.array(ShopMember) });
export type ShopMemberList = z.infer<typeof ShopMemberList>;

/**
 * POST /api/shops/:shopId/members: `ref`, the leader's link the page was opened by, if any
 * (else the leader is found from the last click, as for an order).
 */
export const JoinShopBody = z.strictObject({ ref: LeaderRef.optional() });
