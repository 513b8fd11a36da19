import { error, redirect } from '@sveltejs/kit';
import { myShops } from '#lib/dashboard/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The shop as its owner edits it; only the owner's shops are found here. */
export const load: PageServerLoad = async (event) => {
  const mine = await myShops(serverApi(event));
  if (!mine.ok) {
    if (mine.error.code === 'unauthenticated') {
      redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    }
    error(503, 'Shop settings temporarily unavailable', { code: 'api_unavailable' });
  }
  const found = mine.data.shops.find((s) => s.shop.id === event.params.shopId);
  if (!found) error(403, 'Only the shop owner can change its settings');
  return { shop: found.shop };
};
