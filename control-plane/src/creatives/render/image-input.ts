import sharp from 'sharp';
import { z } from 'zod';
import type { Box } from './box.ts';
import { CreativeRenderError } from './render-error.ts';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
// Decoding a huge image costs memory before anything is refused; 50 megapixels covers camera originals.
const MAX_IMAGE_PIXELS = 50_000_000;

// Any bytes view (a Buffer from a multipart upload, a Uint8Array from a provider's response).
export const imageBytesSchema = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, 'image bytes')
  .refine(
    (b) => b.byteLength > 0 && b.byteLength <= MAX_IMAGE_BYTES,
    `1 byte to ${MAX_IMAGE_BYTES / 1024 / 1024} MB`,
  );

export type RasterType = 'png' | 'jpeg' | 'webp';

/** The real type of image bytes by their magic numbers, never by a name or a declared type. */
export function sniffImageType(bytes: Uint8Array): RasterType | 'svg' | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  const head = Buffer.from(bytes.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return undefined;
}

/** An image ready for satori: a data URL of exactly `width` x `height` pixels. */
export interface PreparedImage {
  src: string;
  width: number;
  height: number;
}

/**
 * How an image fills its slot: `cover` crops to fill it, keeping the part sharp finds most
 * interesting (a photo, a master); `contain` fits it inside, whole and transparent around it (a
 * product cut-out, a logo).
 */
export type ImageFit = 'cover' | 'contain';

/**
 * A source image decoded once and checked, then sized for each slot a layout asks for. Raster
 * only: SVG would need sanitising (scripts, external references) and is refused for now.
 */
export interface ImageSource {
  size(box: Pick<Box, 'width' | 'height'>, fit: ImageFit): Promise<PreparedImage>;
}

export async function openImage(bytes: Uint8Array, what: string): Promise<ImageSource> {
  const type = sniffImageType(bytes);
  if (type === 'svg')
    throw new CreativeRenderError(
      'unsupported_image',
      `${what}: SVG is not accepted; upload a PNG, JPEG or WebP`,
    );
  if (!type) throw new CreativeRenderError('unsupported_image', `${what}: not a PNG, JPEG or WebP image`);
  let hasAlpha: boolean;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    hasAlpha = meta.hasAlpha;
  } catch (cause) {
    throw new CreativeRenderError(
      'unsupported_image',
      `${what}: the ${type.toUpperCase()} cannot be decoded`,
      { cause },
    );
  }
  const sized = new Map<string, Promise<PreparedImage>>();
  return {
    size(box, fit) {
      const width = Math.max(1, Math.round(box.width));
      const height = Math.max(1, Math.round(box.height));
      const key = `${width}x${height}:${fit}`;
      let prepared = sized.get(key);
      if (!prepared) {
        prepared = resize(bytes, width, height, fit, hasAlpha);
        sized.set(key, prepared);
      }
      return prepared;
    },
  };
}

async function resize(bytes: Uint8Array, width: number, height: number, fit: ImageFit, hasAlpha: boolean) {
  // EXIF orientation first: phone photos are stored sideways.
  const pipeline = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
  if (fit === 'cover') pipeline.resize(width, height, { fit: 'cover', position: sharp.strategy.attention });
  else pipeline.resize(width, height, { fit: 'inside' });
  // JPEG keeps the SVG small for opaque photos; PNG keeps a cut-out's transparency.
  const encoded = hasAlpha ? pipeline.png({ compressionLevel: 1 }) : pipeline.jpeg({ quality: 90 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    src: `data:image/${hasAlpha ? 'png' : 'jpeg'};base64,${data.toString('base64')}`,
    width: info.width,
    height: info.height,
  };
}
