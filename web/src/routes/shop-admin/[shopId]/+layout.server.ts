import { myShops } from '#lib/dashboard/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Whether the visitor owns this shop. A leader reaches the pickup screen and their packing
 * list here too, and should not be shown the owner's tabs (orders, refunds, products), which
 * would only answer 403. The pages still check access themselves through the API.
 */
export const load: LayoutServerLoad = async (event) => {
  const mine = await myShops(serverApi(event));
  const owner = mine.ok && mine.data.shops.some((s) => s.shop.id === event.params.shopId);
  return { owner };
};
