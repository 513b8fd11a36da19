import type { Database } from '../database';
import type { NewProductRow, ProductRow } from '../schema';

export async function insertProduct(db: Database, row: NewProductRow): Promise<ProductRow> {
  return db.insertInto('products').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findProduct(
  db: Database,
  shopId: string,
  productId: string,
): Promise<ProductRow | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('id', '=', productId)
    .executeTakeFirst();
}

export async function listProducts(
  db: Database,
  shopId: string,
  includeArchived: boolean,
): Promise<ProductRow[]> {
  let q = db.selectFrom('products').selectAll().where('shop_id', '=', shopId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
}

export async function updateProduct(
  db: Database,
  shopId: string,
  productId: string,
  patch: Partial<
    Pick<
      ProductRow,
      'name' | 'description' | 'story' | 'image_url' | 'price_cents' | 'stock' | 'archived_at'
    >
  >,
): Promise<ProductRow | undefined> {
  if (Object.keys(patch).length === 0) return findProduct(db, shopId, productId);
  return db
    .updateTable('products')
    .set(patch)
    .where('shop_id', '=', shopId)
    .where('id', '=', productId)
    .returningAll()
    .executeTakeFirst();
}
