// Sends a photo to POST /api/uploads as its raw bytes; answers its URL.

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
  const body: unknown = await res.json().catch(() => null);
  const url =
    typeof body === 'object' && body !== null && 'url' in body && typeof body.url === 'string'
      ? body.url
      : null;
  return url ? { ok: true, url } : { ok: false, reason: 'failed' };
}
