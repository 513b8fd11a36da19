import { error, redirect } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { leaderStatement } from '#lib/settlement/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { shopId, leaderId } = event.params;
  const result = await leaderStatement(shopId, leaderId, serverApi(event));
  if (result.ok) {
    if (!result.data.viewerIsOwner) error(403, 'Only the shop owner pays its leaders');
    return { statement: result.data };
  }
  if (result.error.code === 'unauthenticated') {
    redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  }
  if (result.error.status === 403) error(403, 'Only the shop owner pays its leaders');
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Leader not found', { code: 'shop_not_found' });
  }
  error(503, 'Statement temporarily unavailable', { code: 'api_unavailable' });
};
