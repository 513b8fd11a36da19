// The shop's private domain: joining and leaving a shop, my membership, and the owner's list
// of members. One function per API call, each answer checked against its contract schema.
import { api, done, read, type Api } from '../api/client.ts';
import { ShopMembershipEnvelope, ShopMemberList } from '../api/contracts.ts';

export type { ShopMembership, ShopMember } from '../api/contracts.ts';

const shop = (shopId: string) => ({ params: { path: { shopId } } });

/**
 * Joins the shop (关注/入群): credited to the leader of `ref` (the link this page was opened
 * by), else to the leader whose link I opened last.
 */
export const joinShop = (shopId: string, ref: string | null = null) =>
  read(
    api.POST('/api/shops/{shopId}/members', {
      ...shop(shopId),
      body: ref ? { ref } : {},
    }),
    ShopMembershipEnvelope,
  );

export const leaveShop = (shopId: string) =>
  done(api.DELETE('/api/shops/{shopId}/members', shop(shopId)));

export const myMembership = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/members/me', shop(shopId)), ShopMembershipEnvelope);

/** The owner's list of members, newest first. */
export const shopMembers = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/members', shop(shopId)), ShopMemberList);
