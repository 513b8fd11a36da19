// The leader trust index (团长信用分, issue 14.4): the published formula is server/rules/trust.ts;
// the leader centre shows it with its history, the owner's leader list sorts by it.
import { z } from 'zod';

const Share = z.number().min(0).max(1);

export const LeaderTrust = z
  .object({
    leaderId: z.string(),
    shopId: z.string(),
    /** 0–100 */
    score: z.number().int(),
    parts: z.object({ satisfaction: Share, activity: Share, speed: Share }),
    /** what the parts were computed from, over the last `windowDays` */
    inputs: z.object({
      ratings: z.object({ count: z.number().int(), stars: z.number().int() }),
      activity: z.object({ clicks: z.number().int(), orders: z.number().int() }),
      claims: z.object({ handled: z.number().int(), onTime: z.number().int() }),
    }),
    windowDays: z.number().int(),
    weights: z.object({ satisfaction: z.number(), activity: z.number(), speed: z.number() }),
    /** 金牌团长: at or above `goldLevel` every day of the last `windowDays` */
    gold: z.boolean(),
    goldLevel: z.number().int(),
    /** the index day by day (the shops' days), oldest first, up to 90 days */
    history: z.array(z.object({ day: z.string(), score: z.number().int() })),
  })
  .meta({ id: 'LeaderTrust' });
export type LeaderTrust = z.infer<typeof LeaderTrust>;

export const ShopLeaderTrust = z.object({
  leaders: z.array(z.object({ leaderId: z.string(), score: z.number().int(), gold: z.boolean() })),
});
export type ShopLeaderTrust = z.infer<typeof ShopLeaderTrust>;
