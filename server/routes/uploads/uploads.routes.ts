import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../context';
import { AppError } from '../../errors';
import { requireUser } from '../../middleware/session';
import { ImageBytes, UploadParams, Uploaded } from '../../contracts/upload';
import { createRouter, errors, jsonContent, z } from '../../openapi';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, readImage, storeImage } from '../../services/upload.service';
import type { Router } from '../router';

const UPLOAD_PATH = '/api/uploads';

/** The raw-image upload, which app.ts exempts from the JSON-only edge (it checks its own). */
export function isImageUpload(c: Context<AppEnv>): boolean {
  return c.req.method === 'POST' && c.req.path === UPLOAD_PATH;
}

/** Runs `middleware` for every request but the image upload. */
export function exceptImageUpload(
  middleware: MiddlewareHandler<AppEnv>,
): MiddlewareHandler<AppEnv> {
  return (c, next) => (isImageUpload(c) ? next() : middleware(c, next));
}

const imageTypes = new Set(Object.values(IMAGE_TYPES));

/** /api/uploads…: photos, uploaded as raw bytes and served back. */
export function uploadRoutes() {
  const router = createRouter();
  router.use(
    '/',
    bodyLimit({
      maxSize: MAX_IMAGE_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `Images are limited to ${MAX_IMAGE_BYTES} bytes.`);
      },
    }),
  );

  uploadRoute(router);
  readUploadRoute(router);
  return router;
}

function uploadRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['uploads'],
      summary: 'Upload a photo (JPEG, PNG or WebP, at most 5 MB) as the raw request body',
      description:
        'Send the image bytes with Content-Type image/jpeg, image/png or image/webp. The type is checked from the bytes themselves. Answers the URL to use as imageUrl / photoUrl / coverUrl. Each account keeps at most 200 photos (200 MB): past that, 403 quota_exceeded; photos nothing uses are deleted after a week.',
      request: {
        body: {
          required: true,
          content: {
            'image/jpeg': { schema: ImageBytes },
            'image/png': { schema: ImageBytes },
            'image/webp': { schema: ImageBytes },
          },
        },
      },
      responses: {
        201: jsonContent(Uploaded, 'Stored'),
        ...errors(
          'unauthenticated',
          'bad_request',
          'payload_too_large',
          'unsupported_media_type',
          'quota_exceeded',
        ),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!imageTypes.has(type)) {
        throw new AppError('unsupported_media_type', 'Only JPEG, PNG or WebP images.');
      }
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const url = await storeImage(c.var.deps.config.DATA_DIR, bytes, user.id);
      return c.json({ url }, 201);
    },
  );
}

function readUploadRoute(router: Router) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{name}',
      tags: ['uploads'],
      summary: 'An uploaded photo',
      request: { params: UploadParams },
      responses: {
        200: { description: 'The image', content: { 'image/*': { schema: z.string() } } },
        ...errors('not_found'),
      },
    }),
    async (c) => {
      const { bytes, type } = await readImage(
        c.var.deps.config.DATA_DIR,
        c.req.valid('param').name,
      );
      c.header('Content-Type', type);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Content-Security-Policy', "default-src 'none'");
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(new Uint8Array(bytes), 200);
    },
  );
}
