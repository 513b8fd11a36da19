// Server-side request for a LiveKit token while rendering the watch page, so the browser can
// connect the moment it hydrates instead of asking for one first (one round trip less to the
// first frame). Server-only: it lives under lib/server.
import type { RequestEvent } from '@sveltejs/kit';
import { INTERNAL_API_URL, PORT } from '$app/env/private';
import { toApiResult } from '../api/response';
import { parseMediaToken, type MediaToken } from '../live/stream';

export async function fetchViewerToken(
  event: Pick<RequestEvent, 'request'>,
  streamId: string,
): Promise<MediaToken | null> {
  const headers = new Headers({ accept: 'application/json', 'content-type': 'application/json' });
  const cookie = event.request.headers.get('cookie');
  if (cookie !== null) headers.set('cookie', cookie);
  try {
    const response = await fetch(
      `${INTERNAL_API_URL ?? `http://127.0.0.1:${PORT}`}/api/streams/${encodeURIComponent(streamId)}/token`,
      { method: 'POST', headers, body: '{}', signal: AbortSignal.timeout(3000) },
    );
    const result = await toApiResult(response, parseMediaToken);
    return result.ok ? result.data : null;
  } catch {
    // The page still works: the browser asks for a token itself.
    return null;
  }
}
