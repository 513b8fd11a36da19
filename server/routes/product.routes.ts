import { createRoute } from '@hono/zod-openapi';
import { requireAccount } from '../middleware/session';
import { createRouter, errors, jsonBody, jsonContent, z } from '../openapi';
import { createProduct, editProduct, listShopProducts } from '../services/product.service';

export const ProductSchema = z
  .object({
    id: z.string(),
    shopId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    story: z.string().nullable(),
    imageUrl: z.string().nullable(),
    priceCents: z.number().int(),
    stock: z.number().int(),
    archived: z.boolean(),
  })
  .openapi('Product');

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');
const longText = (max: number) => z.string().trim().min(1).max(max);
/** Our own uploads, or the demo's bundled pictures: never an arbitrary remote URL. */
const imageUrl = z
  .string()
  .regex(
    /^\/(api\/uploads\/[a-f0-9-]{36}\.(jpg|png|webp)|demo\/[a-z0-9-]+\.svg)$/,
    'must be an uploaded image',
  );
const cents = z.number().int().min(0).max(100_000_000);
const stock = z.number().int().min(0).max(1_000_000);

const CreateProductBody = z.strictObject({
  name: text(80),
  description: longText(1000).optional(),
  story: longText(2000).optional(),
  imageUrl: imageUrl.optional(),
  priceCents: cents,
  stock,
});

const EditProductBody = z.strictObject({
  name: text(80).optional(),
  description: longText(1000).nullable().optional(),
  story: longText(2000).nullable().optional(),
  imageUrl: imageUrl.nullable().optional(),
  priceCents: cents.optional(),
  stock: stock.optional(),
  archived: z.boolean().optional(),
});

const ShopParams = z.object({ shopId: z.uuid() });
const ProductParams = z.object({ shopId: z.uuid(), productId: z.uuid() });

export function productRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'post',
      path: '/shops/{shopId}/products',
      tags: ['products'],
      summary: 'Add a product (owner)',
      request: { params: ShopParams, body: jsonBody(CreateProductBody) },
      responses: {
        201: jsonContent(z.object({ product: ProductSchema }), 'The new product'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const product = await createProduct(
        c.var.deps.db,
        requireAccount(c),
        c.req.valid('param').shopId,
        c.req.valid('json'),
      );
      return c.json({ product }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/shops/{shopId}/products',
      tags: ['products'],
      summary: "A shop's products (the owner also sees archived ones)",
      request: { params: ShopParams },
      responses: {
        200: jsonContent(z.object({ products: z.array(ProductSchema) }), 'Products'),
        ...errors('not_found'),
      },
    }),
    async (c) =>
      c.json(
        {
          products: await listShopProducts(c.var.deps.db, c.var.user, c.req.valid('param').shopId),
        },
        200,
      ),
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/shops/{shopId}/products/{productId}',
      tags: ['products'],
      summary: 'Edit or archive a product (owner)',
      request: { params: ProductParams, body: jsonBody(EditProductBody) },
      responses: {
        200: jsonContent(z.object({ product: ProductSchema }), 'The product'),
        ...errors('validation_failed', 'unauthenticated', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      const { shopId, productId } = c.req.valid('param');
      const product = await editProduct(
        c.var.deps.db,
        requireAccount(c),
        shopId,
        productId,
        c.req.valid('json'),
      );
      return c.json({ product }, 200);
    },
  );

  return router;
}
