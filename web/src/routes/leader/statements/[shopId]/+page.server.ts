import { error, redirect } from '@sveltejs/kit';
import { myMemberships } from '#lib/leader/api.ts';
import { serverApi } from '#lib/server/api.ts';
import { leaderStatement } from '#lib/settlement/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = serverApi(event);
  const mine = await myMemberships(client);
  if (!mine.ok) {
    if (mine.error.code === 'unauthenticated') {
      redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    }
    error(503, 'Statement temporarily unavailable', { code: 'api_unavailable' });
  }
  const membership = mine.data.memberships.find((m) => m.shopId === event.params.shopId);
  if (!membership) error(404, 'Not a leader of this shop', { code: 'shop_not_found' });
  const result = await leaderStatement(event.params.shopId, membership.leaderId, client);
  if (result.ok) return { shopName: membership.shopName, statement: result.data };
  if (result.error.code === 'not_found' || result.error.status === 403) {
    error(404, 'Not a leader of this shop', { code: 'shop_not_found' });
  }
  error(503, 'Statement temporarily unavailable', { code: 'api_unavailable' });
};
