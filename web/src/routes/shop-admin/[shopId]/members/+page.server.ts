import { shopMembers } from '#lib/member/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The shop's members for its owner; the page says so when the list cannot be read. */
export const load: PageServerLoad = async (event) => {
  const res = await shopMembers(event.params.shopId, serverApi(event));
  return res.ok
    ? { members: res.data.members, failed: null }
    : { members: [], failed: res.error.status };
};
