import { error } from '@sveltejs/kit';
import { serverApi } from '#lib/server/api.ts';
import { fetchViewerToken } from '#lib/server/live.ts';
import { streamView } from '#lib/stream/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await streamView(event.params.streamId, serverApi(event));
  if (result.ok) {
    const { stream } = result.data;
    // The page carries a personal token: never cache it.
    event.setHeaders({ 'cache-control': 'private, no-store' });
    const token = stream.status === 'live' ? await fetchViewerToken(event, stream.id) : null;
    return { stream, token };
  }
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Stream not found');
  }
  error(503, 'Stream temporarily unavailable', { code: 'api_unavailable' });
};
