import { error, redirect } from '@sveltejs/kit';
import { streamStats } from '#lib/analytics/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await streamStats(event.params.streamId, serverApi(event));
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
