// The replay's own reads (issue 10): the live's comments, each at its moment in the
// recording. The recording, chapters and pins come with the stream (streamView's `replay`).
import { api, read, type Api } from '../api/client.ts';
import { ReplayComments } from '../api/contracts.ts';

export const replayComments = (streamId: string, client: Api = api) =>
  read(
    client.GET('/api/streams/{streamId}/replay/comments', { params: { path: { streamId } } }),
    ReplayComments,
  );
