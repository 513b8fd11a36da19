import { apiGet } from '#lib/server/api.ts';
import { parseUserEnvelope } from '#lib/api/parse.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  // 401 (signed out) and an unreachable API both render the page signed out.
  const me = await apiGet(event, '/api/me', parseUserEnvelope);
  return {
    locale: event.locals.locale,
    user: me.ok ? me.data.user : null,
  };
};
