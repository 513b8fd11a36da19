import { z } from 'zod';

/** LiveKit's webhook: signed in the Authorization header with our API secret. */
export const WebhookHeaders = z.object({ authorization: z.string().max(4096).optional() });
export const WebhookAnswer = z.object({ applied: z.boolean(), event: z.string() });
