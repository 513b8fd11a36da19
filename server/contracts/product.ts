import { z } from 'zod';
import { MAX_PRICE_CENTS, OwnImageUrl, textBlock } from './common';

export const Product = z
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
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

export const ProductEnvelope = z.object({ product: Product });
export const ProductList = z.object({ products: z.array(Product) });
export type ProductList = z.infer<typeof ProductList>;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');
const longText = textBlock;
/** Our own uploads, or the demo's bundled pictures: never an arbitrary remote URL. */
const ImageUrl = OwnImageUrl;
const Cents = z.number().int().min(0).max(MAX_PRICE_CENTS);
const Stock = z.number().int().min(0).max(1_000_000);

export const CreateProductBody = z.strictObject({
  name: text(80),
  description: longText(1000).optional(),
  story: longText(2000).optional(),
  imageUrl: ImageUrl.optional(),
  priceCents: Cents,
  stock: Stock,
});
export type CreateProductBody = z.infer<typeof CreateProductBody>;

export const EditProductBody = z.strictObject({
  name: text(80).optional(),
  description: longText(1000).nullable().optional(),
  story: longText(2000).nullable().optional(),
  imageUrl: ImageUrl.nullable().optional(),
  priceCents: Cents.optional(),
  stock: Stock.optional(),
  archived: z.boolean().optional(),
});
export type EditProductBody = z.infer<typeof EditProductBody>;

export const ProductParams = z.object({ shopId: z.uuid(), productId: z.uuid() });
