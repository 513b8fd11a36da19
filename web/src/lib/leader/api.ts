// Leaders: applying, the owner's board and invitations, the leader's own numbers. One
// function per API call, each answer checked at runtime against its contract schema.
import { api, read, type Api } from '../api/client.ts';
import {
  CreatedInvite,
  InviteEnvelope,
  InviteList,
  InvitePreviewEnvelope,
  LeaderBoard,
  LeaderEnvelope,
  Memberships,
  type CreateInviteBody,
  type LeaderProfileBody,
} from '../api/contracts.ts';

export type {
  Invite,
  InvitePreview,
  InviteStatus,
  Leader,
  LeaderStats,
  LeaderStatus,
  Membership,
} from '../api/contracts.ts';

/** The signed-in leader's shops, links and numbers. */
export const myMemberships = (client: Api = api) => read(client.GET('/api/leader/me'), Memberships);

export const applyToLead = (shopId: string, body: LeaderProfileBody) =>
  read(
    api.POST('/api/shops/{shopId}/leaders/apply', { params: { path: { shopId } }, body }),
    LeaderEnvelope,
  );

export const leaderBoard = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/leaders', { params: { path: { shopId } } }), LeaderBoard);

/** The owner approves (or reinstates) a leader at a rate, or changes the rate. */
export function setLeaderRate(
  shopId: string,
  leaderId: string,
  commissionRate: number,
  how: 'approve' | 'change',
) {
  const params = { path: { shopId, leaderId } };
  const body = { commissionRate };
  return read(
    how === 'approve'
      ? api.POST('/api/shops/{shopId}/leaders/{leaderId}/approve', { params, body })
      : api.PATCH('/api/shops/{shopId}/leaders/{leaderId}', { params, body }),
    LeaderEnvelope,
  );
}

export function setLeaderStatus(shopId: string, leaderId: string, action: 'decline' | 'suspend') {
  const params = { path: { shopId, leaderId } };
  return read(
    action === 'decline'
      ? api.POST('/api/shops/{shopId}/leaders/{leaderId}/decline', { params })
      : api.POST('/api/shops/{shopId}/leaders/{leaderId}/suspend', { params }),
    LeaderEnvelope,
  );
}

export const shopInvites = (shopId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/leader-invites', { params: { path: { shopId } } }),
    InviteList,
  );

export const createInvite = (shopId: string, body: CreateInviteBody) =>
  read(
    api.POST('/api/shops/{shopId}/leader-invites', { params: { path: { shopId } }, body }),
    CreatedInvite,
  );

export const revokeInvite = (shopId: string, inviteId: string) =>
  read(
    api.POST('/api/shops/{shopId}/leader-invites/{inviteId}/revoke', {
      params: { path: { shopId, inviteId } },
    }),
    InviteEnvelope,
  );

export const invitePreview = (token: string, client: Api = api) =>
  read(client.GET('/api/invites/{token}', { params: { path: { token } } }), InvitePreviewEnvelope);

export const acceptInvite = (token: string, body: LeaderProfileBody) =>
  read(
    api.POST('/api/invites/{token}/accept', { params: { path: { token } }, body }),
    LeaderEnvelope,
  );

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
