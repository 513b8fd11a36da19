import { error, redirect } from '@sveltejs/kit';
import { parseStreamStats } from '#lib/analytics/api.ts';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiGet(
    event,
    `/api/streams/${encodeURIComponent(event.params.streamId)}/stats`,
    parseStreamStats,
  );
  if (result.ok) return { stats: result.data };
  if (result.error.code === 'unauthenticated') {
    redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  }
  if (result.error.status === 403) error(403, "Only the shop owner sees a stream's numbers");
  if (result.error.code === 'not_found' || result.error.code === 'validation_failed') {
    error(404, 'Stream not found');
  }
  error(503, 'Stream numbers temporarily unavailable', { code: 'api_unavailable' });
};
