import type { Database } from '../../db/database';
import type { ProductRow } from '../../db/schema';
import {
  findProduct,
  insertProduct,
  listProducts,
  updateProduct,
} from '../../db/repositories/product.repository';
import { findShopById } from '../../db/repositories/pickup.repository';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { assertShopOwner } from './order-query.service';
import type { Product } from '../contracts/product';

export type { Product };

export function productRowToProduct(row: ProductRow): Product {
  return {
    id: row.id,
    shopId: row.shop_id,
    name: row.name,
    description: row.description,
    story: row.story,
    imageUrl: row.image_url,
    priceCents: row.price_cents,
    stock: row.stock,
    archived: row.archived_at !== null,
  };
}

export interface ProductInput {
  name: string;
  description?: string | undefined;
  story?: string | undefined;
  imageUrl?: string | undefined;
  priceCents: number;
  stock: number;
}

export async function createProduct(
  db: Database,
  owner: User,
  shopId: string,
  input: ProductInput,
): Promise<Product> {
  await assertShopOwner(db, owner, shopId);
  const row = await insertProduct(db, {
    shop_id: shopId,
    name: input.name,
    description: input.description ?? null,
    story: input.story ?? null,
    image_url: input.imageUrl ?? null,
    price_cents: input.priceCents,
    stock: input.stock,
  });
  return productRowToProduct(row);
}

export async function editProduct(
  db: Database,
  owner: User,
  shopId: string,
  productId: string,
  patch: Partial<{
    name: string;
    description: string | null;
    story: string | null;
    imageUrl: string | null;
    priceCents: number;
    stock: number;
    archived: boolean;
  }>,
): Promise<Product> {
  await assertShopOwner(db, owner, shopId);
  const row = await updateProduct(db, shopId, productId, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.story !== undefined ? { story: patch.story } : {}),
    ...(patch.imageUrl !== undefined ? { image_url: patch.imageUrl } : {}),
    ...(patch.priceCents !== undefined ? { price_cents: patch.priceCents } : {}),
    ...(patch.stock !== undefined ? { stock: patch.stock } : {}),
    ...(patch.archived !== undefined ? { archived_at: patch.archived ? new Date() : null } : {}),
  });
  if (!row) throw new AppError('not_found', 'No such product in this shop.');
  return productRowToProduct(row);
}

/** The shop's products: everyone sees the live ones; the owner also sees archived ones. */
export async function listShopProducts(
  db: Database,
  viewer: User | null,
  shopId: string,
): Promise<Product[]> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  const rows = await listProducts(db, shopId, viewer?.id === shop.owner_id);
  return rows.map(productRowToProduct);
}

export async function getProduct(db: Database, shopId: string, productId: string) {
  const row = await findProduct(db, shopId, productId);
  if (!row) throw new AppError('not_found', 'No such product in this shop.');
  return productRowToProduct(row);
}
