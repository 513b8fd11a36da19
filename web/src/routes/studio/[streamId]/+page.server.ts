import { error, redirect } from '@sveltejs/kit';
import { parseStreamEnvelope } from '#lib/live/stream.ts';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const path = `/api/streams/${encodeURIComponent(event.params.streamId)}/studio` as const;
  const result = await apiGet(event, path, parseStreamEnvelope);
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
