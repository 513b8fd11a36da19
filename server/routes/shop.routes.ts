import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createShop, getPublicShop } from '../services/shop.service';
import { createRouter, displayName, errors, jsonBody, jsonContent, z } from '../openapi';

export const ShopSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    pickupHours: z.string().nullable(),
    story: z.string().nullable(),
  })
  .openapi('Shop');

export const StreamSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['scheduled', 'live', 'ended']),
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    coverUrl: z.string().nullable(),
  })
  .openapi('StreamSummary');

const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, '3–40 lowercase letters, digits and dashes');

const CreateShopBody = z.strictObject({
  name: displayName,
  slug,
  address: z.string().trim().min(1).max(200).optional(),
  pickupHours: z.string().trim().min(1).max(200).optional(),
  story: z.string().trim().min(1).max(2000).optional(),
});

export function shopRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['shops'],
      summary: 'Open a shop',
      request: { body: jsonBody(CreateShopBody) },
      responses: {
        201: jsonContent(z.object({ shop: ShopSchema }), 'The new shop'),
        ...errors(
          'validation_failed',
          'malformed_json',
          'unauthenticated',
          'forbidden',
          'slug_taken',
        ),
      },
    }),
    async (c) => {
      const owner = requireAccount(c);
      const shop = await createShop(c.var.deps.db, owner, c.req.valid('json'));
      return c.json({ shop }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{slug}',
      tags: ['shops'],
      summary: 'A shop and its streams (public)',
      request: { params: z.object({ slug: z.string().min(1).max(60) }) },
      responses: {
        200: jsonContent(
          z.object({ shop: ShopSchema, streams: z.array(StreamSummarySchema) }),
          'The shop',
        ),
        ...errors('not_found'),
      },
    }),
    async (c) => c.json(await getPublicShop(c.var.deps.db, c.req.valid('param').slug), 200),
  );

  return router;
}
