import { error, redirect } from '@sveltejs/kit';
import { studio } from '#lib/dashboard/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await studio(event.params.streamId, serverApi(event));
  if (result.ok) return { stream: result.data.stream };
  switch (result.error.code) {
    case 'unauthenticated':
      redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    // falls through: redirect throws
    case 'forbidden':
      error(403, 'Only the shop owner can open this studio');
    // falls through: error throws
    case 'not_found':
    case 'validation_failed':
      error(404, 'Stream not found');
    // falls through: error throws
    default:
      error(503, 'Studio temporarily unavailable', { code: 'api_unavailable' });
  }
};
