// Server-side request for a LiveKit token while rendering the watch page, so the browser can
// connect the moment it hydrates instead of asking for one first (one round trip less to the
// first frame). Server-only: it lives under lib/server.
import type { RequestEvent } from '@sveltejs/kit';
import { read } from '../api/client.ts';
import { MediaToken } from '../api/contracts.ts';
import { serverApi } from './api.ts';

export async function fetchViewerToken(
  event: Pick<RequestEvent, 'request' | 'getClientAddress'>,
  streamId: string,
): Promise<MediaToken | null> {
  // The page still works without one: the browser then asks for a token itself.
  const result = await read(
    serverApi(event, 3000).POST('/api/streams/{streamId}/token', {
      params: { path: { streamId } },
      body: {},
    }),
    MediaToken,
  );
  return result.ok ? result.data : null;
}
