import { error, redirect } from '@sveltejs/kit';
import { shopProducts } from '#lib/commerce/api.ts';
import { studio as readStudio } from '#lib/dashboard/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = serverApi(event);
  const studio = await readStudio(event.params.streamId, client);
  if (!studio.ok) {
    if (studio.error.code === 'unauthenticated') {
      redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    }
    if (studio.error.status === 403) error(403, 'Only the shop owner plans its streams');
    if (studio.error.code === 'not_found' || studio.error.code === 'validation_failed') {
      error(404, 'Stream not found');
    }
    error(503, 'Stream plan temporarily unavailable', { code: 'api_unavailable' });
  }
  const stream = studio.data.stream;
  const products = await shopProducts(stream.shop.id, client);
  return {
    stream,
    products: products.ok ? products.data.products.filter((p) => !p.archived) : [],
  };
};
