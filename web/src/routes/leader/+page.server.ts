import { error, redirect } from '@sveltejs/kit';
import { myMemberships } from '#lib/leader/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await myMemberships(serverApi(event));
  if (result.ok) return result.data;
  if (result.error.code === 'unauthenticated') redirect(303, '/login?redirectTo=%2Fleader');
  error(503, 'Leader dashboard temporarily unavailable', { code: 'api_unavailable' });
};
