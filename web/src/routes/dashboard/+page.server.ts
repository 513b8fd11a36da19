import { error, redirect } from '@sveltejs/kit';
import {
  parseLeaderStatuses,
  parsePickupPoints,
  parsePrepare,
  parseRefundRequests,
  type PickupPoint,
  type PrepareList,
} from '#lib/dashboard/api.ts';
import { parseMyShops } from '#lib/live/stream.ts';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiGet(event, '/api/me/shops', parseMyShops);
  if (!result.ok) {
    if (result.error.code === 'unauthenticated' || result.error.code === 'forbidden') {
      redirect(303, '/login?redirectTo=%2Fdashboard');
    }
    error(503, 'Dashboard temporarily unavailable', { code: 'api_unavailable' });
  }

  // What needs doing in each shop: a part that fails to load is left out, not the page.
  const shops = await Promise.all(
    result.data.shops.map(async ({ shop, streams }) => {
      const id = encodeURIComponent(shop.id);
      const [points, refunds, leaders] = await Promise.all([
        apiGet(event, `/api/shops/${id}/pickup-points`, parsePickupPoints),
        apiGet(event, `/api/shops/${id}/refund-requests?status=open`, parseRefundRequests),
        apiGet(event, `/api/shops/${id}/leaders`, parseLeaderStatuses),
      ]);
      const prepare: { point: PickupPoint; list: PrepareList }[] = [];
      if (points.ok) {
        const lists = await Promise.all(
          points.data.pickupPoints.map((point) =>
            apiGet(
              event,
              `/api/shops/${id}/pickup-points/${encodeURIComponent(point.id)}/prepare`,
              parsePrepare,
            ),
          ),
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
