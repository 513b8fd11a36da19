import { error, redirect } from '@sveltejs/kit';
import { parseMemberships } from '#lib/leader/api.ts';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = await apiGet(event, '/api/leader/me', parseMemberships);
  if (result.ok) return result.data;
  if (result.error.code === 'unauthenticated') redirect(303, '/login?redirectTo=%2Fleader');
  error(503, 'Leader dashboard temporarily unavailable', { code: 'api_unavailable' });
};
