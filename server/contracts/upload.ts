import { z } from 'zod';

/** POST /api/uploads takes the image's raw bytes (JPEG, PNG or WebP). */
export const ImageBytes = z.string().meta({ format: 'binary' });

/** The URL to use as a product's imageUrl or a refund's photoUrl. */
export const Uploaded = z.object({ url: z.string() });
export type Uploaded = z.infer<typeof Uploaded>;

export const UploadParams = z.object({ name: z.string().max(60) });
