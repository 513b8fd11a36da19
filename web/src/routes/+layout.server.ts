import { currentUser } from '#lib/auth/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  // 401 (signed out) and an unreachable API both render the page signed out.
  const me = await currentUser(serverApi(event));
  return {
    locale: event.locals.locale,
    user: me.ok ? me.data.user : null,
  };
};
