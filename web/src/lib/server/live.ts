// Server-side request for a LiveKit token while rendering the watch page, so the browser can
// connect the moment it hydrates instead of asking for one first (one round trip less to the
// first frame). Server-only: it lives under lib/server.
import type { RequestEvent } from '@sveltejs/kit';
import type { MediaToken } from '../api/contracts.ts';
import { mediaToken } from '../stream/api.ts';
import { serverApi } from './api.ts';

export async function fetchViewerToken(
  event: Pick<RequestEvent, 'request' | 'getClientAddress'>,
  streamId: string,
): Promise<MediaToken | null> {
  // The page still works without one: the browser then asks for a token itself.
  const result = await mediaToken(streamId, undefined, serverApi(event, 3000));
  return result.ok ? result.data : null;
}
