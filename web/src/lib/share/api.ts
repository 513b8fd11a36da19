// Sharing: the streams a leader can share, each with the leader's own link. One function per
// API call, the answer checked at runtime against its contract schema.
import { api, read, type Api } from '../api/client.ts';
import { ShareableStreams } from '../api/contracts.ts';

export type { ShareableStream } from '../api/contracts.ts';

/** The signed-in leader's upcoming, live and replayable streams, live first. */
export const myShareableStreams = (client: Api = api) =>
  read(client.GET('/api/leader/me/streams'), ShareableStreams);
