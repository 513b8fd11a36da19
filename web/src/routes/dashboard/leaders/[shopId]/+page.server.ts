import { error, redirect } from '@sveltejs/kit';
import { leaderBoard, shopInvites } from '#lib/leader/api.ts';
import { shopTrust } from '#lib/leader/trust.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = serverApi(event);
  const [result, invites, trust] = await Promise.all([
    leaderBoard(event.params.shopId, client),
    shopInvites(event.params.shopId, client),
    shopTrust(event.params.shopId, client),
  ]);
  if (result.ok) {
    return {
      shopId: event.params.shopId,
      leaders: result.data.leaders,
      // the same owner check as the board: if the board loads, so do these
      invites: invites.ok ? invites.data.invites : [],
      trust: trust.ok ? trust.data.leaders : [],
    };
  }
  if (result.error.code === 'unauthenticated') {
    redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  }
  if (result.error.status === 403) error(403, 'Only the shop owner sees its leaders');
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Shop not found', { code: 'shop_not_found' });
  }
  error(503, 'Leader board temporarily unavailable', { code: 'api_unavailable' });
};
