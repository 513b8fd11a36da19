// Sends a photo to POST /api/uploads as its raw bytes; answers its URL. A plain fetch: the
// typed client speaks JSON, this body is the image itself. The answer is still checked
// against its contract.
import { Uploaded } from '../api/contracts.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export type UploadResult =
  { ok: true; url: string } | { ok: false; reason: 'too_large' | 'type' | 'failed' };

export async function uploadPhoto(file: File): Promise<UploadResult> {
  if (file.size > MAX_PHOTO_BYTES) return { ok: false, reason: 'too_large' };
  if (!TYPES.has(file.type)) return { ok: false, reason: 'type' };
  const res = await fetch('/api/uploads', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': file.type },
    body: file,
  }).catch(() => null);
  if (!res || res.status !== 201) return { ok: false, reason: 'failed' };
  const answer = Uploaded.safeParse(await res.json().catch(() => null));
  return answer.success ? { ok: true, url: answer.data.url } : { ok: false, reason: 'failed' };
}
