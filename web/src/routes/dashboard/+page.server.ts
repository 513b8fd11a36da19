import { error, redirect } from '@sveltejs/kit';
import {
  prepareList,
  refundRequests,
  shopPickupPoints,
  type PickupPoint,
  type PrepareList,
} from '#lib/commerce/api.ts';
import { myShops } from '#lib/dashboard/api.ts';
import { leaderBoard } from '#lib/leader/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = serverApi(event);
  const result = await myShops(client);
  if (!result.ok) {
    if (result.error.code === 'unauthenticated' || result.error.code === 'forbidden') {
      redirect(303, '/login?redirectTo=%2Fdashboard');
    }
    error(503, 'Dashboard temporarily unavailable', { code: 'api_unavailable' });
  }

  // What needs doing in each shop: a part that fails to load is left out, not the page.
  const shops = await Promise.all(
    result.data.shops.map(async ({ shop, streams }) => {
      const [points, refunds, leaders] = await Promise.all([
        shopPickupPoints(shop.id, client),
        refundRequests(shop.id, 'open', client),
        leaderBoard(shop.id, client),
      ]);
      const prepare: { point: PickupPoint; list: PrepareList }[] = [];
      if (points.ok) {
        const lists = await Promise.all(
          points.data.pickupPoints.map((point) => prepareList(shop.id, point.id, client)),
        );
        points.data.pickupPoints.forEach((point, i) => {
          const list = lists[i];
          if (list?.ok) prepare.push({ point, list: list.data });
        });
      }
      return {
        shop,
        streams,
        prepare,
        refunds: refunds.ok ? refunds.data.refundRequests : null,
        pendingLeaders: leaders.ok
          ? leaders.data.leaders.map((l) => l.leader).filter((l) => l.status === 'pending')
          : null,
      };
    }),
  );
  return { shops };
};
