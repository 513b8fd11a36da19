import { error } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { shopRatings } from '#lib/rating/api.ts';
import { publicOrigin } from '#lib/share/origin.server.ts';
import { shopPage } from '#lib/shop/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await shopPage(event.params.slug, serverApi(event));
  if (result.ok) {
    // the ratings are a part of the page, not a reason to fail it: without them it still shows
    const ratings = await shopRatings(result.data.shop.id, serverApi(event));
    return {
      ...result.data,
      ratings: ratings.ok ? ratings.data : null,
      origin: publicOrigin(event),
    };
  }
  // Only the API's own "not_found" means the shop does not exist; anything else (API down,
  // unexpected answer) is reported as a temporary problem rather than a missing shop.
  if (result.error.code === 'not_found') {
    error(404, 'Shop not found', { code: 'shop_not_found' });
  }
  error(503, 'Shop temporarily unavailable', { code: 'api_unavailable' });
};
