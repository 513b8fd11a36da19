import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../errors';

/** Photos of products and of bad fruit: small enough for a phone upload, big enough to see. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export type ImageKind = 'jpg' | 'png' | 'webp';
export const IMAGE_TYPES: Record<ImageKind, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** What the bytes are, by their signature (never by the declared type or a file name). */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const at = (i: number, ...sig: number[]) => sig.every((b, j) => bytes[i + j] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

function uploadDir(dataDir: string): string {
  return resolve(dataDir, 'uploads');
}

/** Stores an image under DATA_DIR/uploads with a random name; returns its public URL. */
export async function storeImage(dataDir: string, bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength === 0) throw new AppError('bad_request', 'The image is empty.');
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES} bytes.`);
  }
  const kind = sniffImage(bytes);
  if (!kind) throw new AppError('unsupported_media_type', 'Only JPEG, PNG or WebP images.');
  const dir = uploadDir(dataDir);
  const name = `${randomUUID()}.${kind}`;
  const path = join(dir, name);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path, bytes, { flag: 'wx' });
  } catch (err) {
    // never leave half a file behind, whatever went wrong
    await rm(path, { force: true }).catch(() => undefined);
    if (isOutOfSpace(err)) {
      throw new AppError(
        'unavailable',
        'The photo could not be saved: the server’s storage is full. Nothing else is affected; try again later.',
      );
    }
    throw err;
  }
  return `/api/uploads/${name}`;
}

function isOutOfSpace(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err.code === 'ENOSPC' || err.code === 'EDQUOT')
  );
}

/** Reads a stored image by its exact generated name (no paths, no other files). */
export async function readImage(
  dataDir: string,
  name: string,
): Promise<{ bytes: Buffer; type: string }> {
  const m = /^[a-f0-9-]{36}\.(jpg|png|webp)$/.exec(name);
  const kind = m?.[1];
  if (kind !== 'jpg' && kind !== 'png' && kind !== 'webp') {
    throw new AppError('not_found', 'No such image.');
  }
  try {
    return { bytes: await readFile(join(uploadDir(dataDir), name)), type: IMAGE_TYPES[kind] };
  } catch {
    throw new AppError('not_found', 'No such image.');
  }
}
