import { error, redirect } from '@sveltejs/kit';
import { myMemberships } from '#lib/leader/api.ts';
import { serverApi } from '#lib/server/api.ts';
import { myShareableStreams } from '#lib/share/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [result, streams] = await Promise.all([
    myMemberships(serverApi(event)),
    myShareableStreams(serverApi(event)),
  ]);
  // the streams to share are a part of the page, not a reason to fail it
  if (result.ok) return { ...result.data, streams: streams.ok ? streams.data.streams : [] };
  if (result.error.code === 'unauthenticated') redirect(303, '/login?redirectTo=%2Fleader');
  error(503, 'Leader dashboard temporarily unavailable', { code: 'api_unavailable' });
};
