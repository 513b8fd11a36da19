import { error } from '@sveltejs/kit';
import { closedInviteReason, invitePreview } from '#lib/leader/api.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Open to everyone: the token in the link is the secret. Signed in or not, the resident
// first sees which shop invites them and at what rate.
export const load: PageServerLoad = async (event) => {
  const { token } = event.params;
  const result = await invitePreview(token, serverApi(event));
  if (result.ok) return { token, invite: result.data.invite, closed: null };
  const closed = closedInviteReason(result.error.code);
  if (closed) return { token, invite: null, closed };
  error(503, 'Invitation temporarily unavailable', { code: 'api_unavailable' });
};
