// Parsers kept for the watch page and the studio (web/src/lib/live/stream.ts,
// GuestSignIn.svelte) until they move to the typed client: each is its contract schema.
import { Shop, StreamSummary, UserEnvelope } from './contracts.ts';
import { parserOf } from './response.ts';

export const parseUserEnvelope = parserOf(UserEnvelope);
export const parseShop = parserOf(Shop);
export const parseStreamSummary = parserOf(StreamSummary);
