import { error } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { fetchViewerToken } from '#lib/server/live.ts';
import { myMembership, type ShopMembership } from '#lib/member/api.ts';
import { streamView } from '#lib/stream/api.ts';
import type { PageServerLoad } from './$types';

const NOT_A_MEMBER: ShopMembership = { member: false, joinedAt: null, leader: null };

export const load: PageServerLoad = async (event) => {
  const result = await streamView(event.params.streamId, serverApi(event));
  if (result.ok) {
    const { stream } = result.data;
    // The page carries a personal token: never cache it.
    event.setHeaders({ 'cache-control': 'private, no-store' });
    const [token, membership] = await Promise.all([
      stream.status === 'live' ? fetchViewerToken(event, stream.id) : null,
      // whether to offer joining the shop (a members-only stream needs it to play)
      myMembership(stream.shop.id, serverApi(event, 3000)).then((r) =>
        r.ok ? r.data.membership : NOT_A_MEMBER,
      ),
    ]);
    return { stream, token, membership };
  }
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Stream not found');
  }
  error(503, 'Stream temporarily unavailable', { code: 'api_unavailable' });
};
