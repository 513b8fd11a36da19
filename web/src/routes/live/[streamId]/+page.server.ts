import { error } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { fetchViewerToken } from '#lib/server/live.ts';
import { myMembership, type ShopMembership } from '#lib/member/api.ts';
import { publicOrigin } from '#lib/share/origin.server.ts';
import { streamImagePath, DEFAULT_SHARE_IMAGE } from '#lib/share/meta.ts';
import { shopPage } from '#lib/shop/api.ts';
import { streamView } from '#lib/stream/api.ts';
import type { PageServerLoad } from './$types';

const NOT_A_MEMBER: ShopMembership = { member: false, joinedAt: null, leader: null };

export const load: PageServerLoad = async (event) => {
  const { streamId } = event.params;
  // The media token is asked for alongside the stream, not after it: the first frame waits
  // on this page. A stream that is not live refuses it, and the refusal is dropped.
  const asked = fetchViewerToken(event, streamId);
  const result = await streamView(streamId, serverApi(event));
  if (result.ok) {
    const { stream } = result.data;
    // The page carries a personal token: never cache it.
    event.setHeaders({ 'cache-control': 'private, no-store' });
    // the link preview's picture falls back to the shop's logo: read it only when needed
    const needsLogo = streamImagePath(stream, stream.coverUrl, null) === DEFAULT_SHARE_IMAGE;
    const [token, membership, logoUrl] = await Promise.all([
      stream.status === 'live' ? asked : null,
      // whether to offer joining the shop (a members-only stream needs it to play)
      myMembership(stream.shop.id, serverApi(event, 3000)).then((r) =>
        r.ok ? r.data.membership : NOT_A_MEMBER,
      ),
      needsLogo
        ? shopPage(stream.shop.slug, serverApi(event, 3000)).then((r) =>
            r.ok ? r.data.shop.logoUrl : null,
          )
        : null,
    ]);
    // the page starts its room ahead of the app (hooks.server.ts, withEarlyBoot)
    event.locals.earlyRoom = token !== null;
    return { stream, token, membership, share: { origin: publicOrigin(event), logoUrl } };
  }
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Stream not found');
  }
  error(503, 'Stream temporarily unavailable', { code: 'api_unavailable' });
};
