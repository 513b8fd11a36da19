// Moderators (SPEC.md, "Who may do what in the chat"): people a shop's owner appoints to
// delete comments, mute and remove in the shop's streams. They do not pin, sell or end.
import { z } from 'zod';

export const Moderator = z
  .object({
    userId: z.string(),
    name: z.string(),
    appointedAt: z.string(),
  })
  .meta({ id: 'Moderator' });
export type Moderator = z.infer<typeof Moderator>;

/** GET /api/shops/:shopId/moderators (owner) */
export const ModeratorList = z.object({ moderators: z.array(Moderator) });
export type ModeratorList = z.infer<typeof ModeratorList>;

/** POST /api/shops/:shopId/moderators (owner): a leader or resident with an account. */
export const AppointModeratorBody = z.strictObject({ userId: z.uuid() });
export type AppointModeratorBody = z.infer<typeof AppointModeratorBody>;

export const ModeratorEnvelope = z.object({ moderator: Moderator });
export type ModeratorEnvelope = z.infer<typeof ModeratorEnvelope>;

export const ShopUserParams = z.object({ shopId: z.uuid(), userId: z.uuid() });
