import { z } from 'zod';

// The in-stream 团长榜 (issue 17): the leaders' groups of a stream ranked by orders.

export const LeaderboardEntry = z
  .object({
    leaderId: z.string(),
    displayName: z.string(),
    community: z.string().nullable(),
    /** orders attributed to the leader in this stream, cancelled and refunded ones left out */
    orders: z.number().int(),
    units: z.number().int(),
  })
  .meta({ id: 'LeaderboardEntry' });
export type LeaderboardEntry = z.infer<typeof LeaderboardEntry>;

/** GET /api/streams/:id/leaderboard */
export const StreamLeaderboard = z
  .object({
    /** The owner hid the board: viewers get no leaders, the owner still gets them. */
    hidden: z.boolean(),
    /** best first: most orders, then most units, then whoever sold first */
    leaders: z.array(LeaderboardEntry),
  })
  .meta({ id: 'StreamLeaderboard' });
export type StreamLeaderboard = z.infer<typeof StreamLeaderboard>;

/** A leader's place in a live stream of their shop (the leader centre). */
export const LiveRank = z.object({
  streamId: z.string(),
  title: z.string(),
  /** null until the leader's first counted order in the stream */
  rank: z.number().int().nullable(),
  orders: z.number().int(),
  units: z.number().int(),
  /** how many leaders have sold in the stream */
  ranked: z.number().int(),
});
export type LiveRank = z.infer<typeof LiveRank>;
