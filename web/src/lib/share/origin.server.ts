// The public origin for absolute links in a page (og:image, og:url): the ORIGIN the API
// reads (server/config.ts), else this request's own. Server-only: ORIGIN is read from the
// one process's environment, as hooks.server.ts reads it.
import type { RequestEvent } from '@sveltejs/kit';

/**
 * adapter-node assumes https when no PROTOCOL_HEADER is configured; like the API
 * (server/http/origin.ts) this takes the scheme of the connection itself instead, so a
 * plain-http deployment without ORIGIN links to what it serves.
 */
export function publicOrigin(event: Pick<RequestEvent, 'url' | 'platform'>): string {
  const configured = process.env.ORIGIN?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  if (process.env.PROTOCOL_HEADER) return event.url.origin;
  const platform: unknown = event.platform;
  const encrypted =
    typeof platform === 'object' &&
    platform !== null &&
    'req' in platform &&
    typeof platform.req === 'object' &&
    platform.req !== null &&
    'socket' in platform.req &&
    typeof platform.req.socket === 'object' &&
    platform.req.socket !== null &&
    'encrypted' in platform.req.socket &&
    platform.req.socket.encrypted === true;
  return `${encrypted ? 'https' : 'http'}://${event.url.host}`;
}
