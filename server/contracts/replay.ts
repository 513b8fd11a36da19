import { z } from 'zod';
import { CommentRole } from './realtime';

// What the replay reads beside the stream (issue 10): the live's comments, each at its
// moment in the recording, so they scroll with playback. The replay itself (status, url,
// chapters, pins) is part of the stream (stream.ts, `replay`).

export const ReplayComment = z
  .object({
    id: z.string(),
    name: z.string(),
    text: z.string(),
    role: CommentRole.nullable(),
    /** when it was posted, in replay time (0 for comments before the recording began) */
    atMs: z.number().int().min(0),
  })
  .meta({ id: 'ReplayComment' });
export type ReplayComment = z.infer<typeof ReplayComment>;

/** GET /api/streams/:id/replay/comments */
export const ReplayComments = z.object({ comments: z.array(ReplayComment) });
export type ReplayComments = z.infer<typeof ReplayComments>;
