import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/app';
import { makeBuyer } from '../helpers/factories';

// Uploads on a full disk: a small tmpfs of the test's own (mounting needs root, which CI
// is; elsewhere the test reports itself skipped, never passed).

const isRoot = process.getuid?.() === 0;
const mountPoint = mkdtempSync(join(tmpdir(), 'linli-full-'));
let mounted = false;
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

// a PNG signature followed by 48 KiB of payload: the store checks the signature only
const bigPng = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(48 * 1024, 7),
]);

describe('a full disk', () => {
  it.skipIf(!isRoot)(
    'an upload is refused with 503 and a clear message, leaves no partial file, and works once space is back (needs root for mount)',
    async () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mountPoint]);
      mounted = true;
      const { app, db } = buildTestApp({ DATA_DIR: mountPoint });
      try {
        const buyer = await makeBuyer(app);
        const cookie = [...buyer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const upload = () =>
          app.request('/api/uploads', {
            method: 'POST',
            headers: { origin: 'http://localhost', 'content-type': 'image/png', cookie },
            body: bigPng,
          });
        // fill the disk, leaving less room than one photo
        writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(100 * 1024));

        const refused = await upload();
        expect(refused.status).toBe(503);
        const body = (await refused.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('unavailable');
        expect(body.error.message).toMatch(/storage is full/);
        // no partial image, and no quota marker counting one (the owners/ folder of markers
        // may exist, empty)
        const images = () => readdirSync(join(mountPoint, 'uploads')).filter((f) => f !== 'owners');
        const markers = () =>
          readdirSync(join(mountPoint, 'uploads', 'owners'), {
            recursive: true,
            withFileTypes: true,
          })
            .filter((d) => d.isFile())
            .map((d) => d.name);
        expect(images()).toEqual([]);
        expect(markers()).toEqual([]);

        // the rest of the app still answers
        const me = await buyer.request('GET', '/api/me');
        expect(me.status).toBe(200);

        rmSync(join(mountPoint, 'filler'));
        const stored = await upload();
        expect(stored.status).toBe(201);
        expect(images()).toHaveLength(1);
        expect(markers()).toEqual(images());
      } finally {
        await db.destroy();
      }
    },
  );
});
