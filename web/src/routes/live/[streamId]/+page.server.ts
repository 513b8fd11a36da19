import { error } from '@sveltejs/kit';
import { parseStreamEnvelope } from '#lib/live/stream.ts';
import { apiGet } from '#lib/server/api.ts';
import { fetchViewerToken } from '#lib/server/live.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiGet(
    event,
    `/api/streams/${encodeURIComponent(event.params.streamId)}`,
    parseStreamEnvelope,
  );
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
