import { error, redirect } from '@sveltejs/kit';
import { parseShopPage } from '#lib/api/parse.ts';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  const result = await apiGet(
    event,
    `/api/shops/${encodeURIComponent(event.params.slug)}`,
    parseShopPage,
  );
  if (result.ok) return { shop: result.data.shop };
  if (result.error.code === 'not_found') error(404, 'Shop not found', { code: 'shop_not_found' });
  error(503, 'Shop temporarily unavailable', { code: 'api_unavailable' });
};
