import { error, redirect } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { shopPage } from '#lib/shop/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  const result = await shopPage(event.params.slug, serverApi(event));
  if (result.ok) return { shop: result.data.shop };
  if (result.error.code === 'not_found') error(404, 'Shop not found', { code: 'shop_not_found' });
  error(503, 'Shop temporarily unavailable', { code: 'api_unavailable' });
};
