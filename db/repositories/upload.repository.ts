import type { Database } from '../database';

/**
 * Of the given upload URLs, those something still shows: a stream's cover, a product's
 * picture, a refund request's photo. (Shops have no logo.)
 */
export async function findReferencedUploadUrls(
  db: Database,
  urls: readonly string[],
): Promise<Set<string>> {
  if (urls.length === 0) return new Set();
  const [covers, images, photos] = await Promise.all([
    db.selectFrom('streams').select('cover_url as url').where('cover_url', 'in', urls).execute(),
    db.selectFrom('products').select('image_url as url').where('image_url', 'in', urls).execute(),
    db
      .selectFrom('refund_requests')
      .select('photo_url as url')
      .where('photo_url', 'in', urls)
      .execute(),
  ]);
  return new Set([...covers, ...images, ...photos].flatMap((r) => (r.url === null ? [] : [r.url])));
}
