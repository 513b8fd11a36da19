import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Database } from '../../db/database';
import { findReferencedUploadUrls } from '../../db/repositories/upload.repository';
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

/**
 * What one account may keep stored: generous for a shop's photos and a few refund claims,
 * small enough that no account can fill the disk. Constants for now (server/config.ts is the
 * place for overrides, should an installation need other numbers).
 */
export const UPLOAD_QUOTA = { files: 200, bytes: 200 * 1024 * 1024 } as const;

/** Uploads nothing shows are deleted by housekeeping once they are this old. */
export const UNUSED_UPLOAD_DAYS = 7;

/** The name POST /api/uploads gives a stored image. */
const IMAGE_NAME = /^[a-f0-9-]{36}\.(jpg|png|webp)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Layout under DATA_DIR/uploads: the images themselves, served by name, and for each account
// a folder `owners/<user id>/` with an empty marker per image it uploaded: what the quota
// counts, on the same disk as the files so the two cannot disagree across processes.

function uploadDir(dataDir: string): string {
  return resolve(dataDir, 'uploads');
}

function ownersDir(dataDir: string): string {
  return join(uploadDir(dataDir), 'owners');
}

function ownerDir(dataDir: string, userId: string): string {
  if (!UUID.test(userId)) throw new Error('upload owner must be a user id');
  return join(ownersDir(dataDir), userId);
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/** The images an account has stored, and their total size. */
export async function uploadUsage(
  dataDir: string,
  userId: string,
): Promise<{ files: number; bytes: number }> {
  const usage = { files: 0, bytes: 0 };
  for (const name of await listOrEmpty(ownerDir(dataDir, userId))) {
    if (!IMAGE_NAME.test(name)) continue;
    const size = await stat(join(uploadDir(dataDir), name)).then(
      (s) => s.size,
      () => null, // deleted by housekeeping; its marker goes on the next pass
    );
    if (size === null) continue;
    usage.files += 1;
    usage.bytes += size;
  }
  return usage;
}

async function checkQuota(dataDir: string, userId: string, adding: number): Promise<void> {
  const usage = await uploadUsage(dataDir, userId);
  if (usage.files + 1 > UPLOAD_QUOTA.files || usage.bytes + adding > UPLOAD_QUOTA.bytes) {
    throw new AppError(
      'quota_exceeded',
      `An account keeps at most ${UPLOAD_QUOTA.files} photos (${UPLOAD_QUOTA.bytes / 1024 / 1024} MB); this one has ${usage.files} (${Math.ceil(usage.bytes / 1024 / 1024)} MB). Photos nothing uses are deleted after ${UNUSED_UPLOAD_DAYS} days.`,
    );
  }
}

/**
 * Stores an image under DATA_DIR/uploads with a random name, counted to `ownerId`'s quota;
 * returns its public URL.
 */
export async function storeImage(
  dataDir: string,
  bytes: Uint8Array,
  ownerId: string,
): Promise<string> {
  if (bytes.byteLength === 0) throw new AppError('bad_request', 'The image is empty.');
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES} bytes.`);
  }
  const kind = sniffImage(bytes);
  if (!kind) throw new AppError('unsupported_media_type', 'Only JPEG, PNG or WebP images.');
  // Two uploads racing past the check can each be stored: the quota is a bound on abuse,
  // off by at most the uploads in flight at once.
  await checkQuota(dataDir, ownerId, bytes.byteLength);
  const dir = uploadDir(dataDir);
  const name = `${randomUUID()}.${kind}`;
  const path = join(dir, name);
  const marker = join(ownerDir(dataDir, ownerId), name);
  try {
    await mkdir(dirname(marker), { recursive: true });
    await writeFile(marker, '', { flag: 'wx' });
    await writeFile(path, bytes, { flag: 'wx' });
  } catch (err) {
    // never leave half a file behind, whatever went wrong
    await rm(path, { force: true }).catch(() => undefined);
    await rm(marker, { force: true }).catch(() => undefined);
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

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
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
  const m = IMAGE_NAME.exec(name);
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

/**
 * Deletes the images older than `days` that no stream cover, product picture or refund photo
 * uses, and the quota markers of every deleted image. Answers how many images went. Safe to
 * run twice, or concurrently (a file already gone is skipped).
 */
export async function deleteUnusedUploads(
  db: Database,
  dataDir: string,
  days: number = UNUSED_UPLOAD_DAYS,
): Promise<number> {
  const dir = uploadDir(dataDir);
  const before = Date.now() - days * 86_400_000;
  const old: string[] = [];
  for (const name of await listOrEmpty(dir)) {
    if (!IMAGE_NAME.test(name)) continue;
    const info = await stat(join(dir, name)).catch(() => null);
    if (info && info.mtimeMs < before) old.push(name);
  }
  let deleted = 0;
  for (let i = 0; i < old.length; i += 500) {
    const batch = old.slice(i, i + 500);
    const used = await findReferencedUploadUrls(
      db,
      batch.map((name) => `/api/uploads/${name}`),
    );
    for (const name of batch) {
      if (used.has(`/api/uploads/${name}`)) continue;
      await rm(join(dir, name), { force: true });
      deleted += 1;
    }
  }
  // markers whose image is gone (deleted now, or by an earlier pass that stopped half way)
  for (const owner of await listOrEmpty(ownersDir(dataDir))) {
    if (!UUID.test(owner)) continue;
    const markers = join(ownersDir(dataDir), owner);
    for (const name of await listOrEmpty(markers)) {
      const exists = await stat(join(dir, name)).then(
        () => true,
        () => false,
      );
      if (!exists) await rm(join(markers, name), { force: true });
    }
  }
  return deleted;
}
