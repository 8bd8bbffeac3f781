import sharp from 'sharp';
import { ApiError } from '../../http/api-error.ts';

export const MAX_UPLOAD_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_UPLOAD_VIDEO_BYTES = 100 * 1024 * 1024;
// Decoding is where a small file can cost a lot of memory (a "zip bomb" PNG): cap the pixels.
const MAX_PIXELS = 50_000_000;

const TYPES = {
  png: { contentType: 'image/png', kind: 'image' },
  jpeg: { contentType: 'image/jpeg', kind: 'image' },
  gif: { contentType: 'image/gif', kind: 'image' },
  webp: { contentType: 'image/webp', kind: 'image' },
  mp4: { contentType: 'video/mp4', kind: 'video' },
} as const;
export type UploadType = keyof typeof TYPES;

/** An upload checked by its content: what it really is, and its size in pixels (images). */
export type CheckedUpload = {
  bytes: Uint8Array;
  contentType: (typeof TYPES)[UploadType]['contentType'];
  kind: 'image' | 'video';
  width: number | null;
  height: number | null;
};

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

/** The real type by magic bytes; a name or a declared content type is never asked. */
export function sniffUpload(bytes: Uint8Array): UploadType | 'svg' | undefined {
  if (bytes[0] === 0x89 && ascii(bytes, 1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  // ISO base media: a box size, then `ftyp` and a brand; MP4 and its siblings (M4V, ISOM).
  if (
    ascii(bytes, 4, 8) === 'ftyp' &&
    /^(isom|iso\d|mp4\d|avc1|M4V |mp41|mp42|dash)$/.test(ascii(bytes, 8, 12))
  )
    return 'mp4';
  const head = Buffer.from(bytes.subarray(0, 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (
    head.startsWith('<svg') ||
    ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'))
  )
    return 'svg';
  return undefined;
}

function limitFor(type: UploadType): number {
  return TYPES[type].kind === 'video' ? MAX_UPLOAD_VIDEO_BYTES : MAX_UPLOAD_IMAGE_BYTES;
}

function tooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `This upload may not exceed ${limit / 1024 / 1024} MB.`);
}

function refuseType(type: UploadType | 'svg' | undefined): asserts type is UploadType {
  if (type === 'svg') throw new ApiError('unsupported_type', 'SVG can carry scripts; upload PNG/JPEG/WebP.');
  if (!type)
    throw new ApiError('unsupported_type', 'Not a PNG, JPEG, GIF, WebP or MP4 file (by its content).');
}

/**
 * Reads a body stream up to the limit of what it turns out to be (10 MB for images, 100 MB for
 * videos, known from the first bytes), answering 413 as soon as it passes it: never more than
 * that in memory, whatever the client declared.
 */
export async function readUploadStream(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (!body) throw new ApiError('invalid_request', 'The upload is empty.');
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = MAX_UPLOAD_VIDEO_BYTES;
  let sniffed = false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (!sniffed && total >= 16) {
        const type = sniffUpload(Buffer.concat(chunks));
        refuseType(type);
        limit = limitFor(type);
        sniffed = true;
      }
      if (total > limit) throw tooLarge(limit);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Checks bytes by content: type by magic bytes, size by type, images decoded for their size. */
export async function checkUpload(bytes: Uint8Array): Promise<CheckedUpload> {
  if (bytes.byteLength === 0) throw new ApiError('invalid_request', 'The upload is empty.');
  const type = sniffUpload(bytes);
  refuseType(type);
  const limit = limitFor(type);
  if (bytes.byteLength > limit) throw tooLarge(limit);
  const { contentType, kind } = TYPES[type];
  if (kind === 'video') return { bytes, contentType, kind, width: null, height: null };
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS, animated: type === 'gif' }).metadata();
    // An animated image's metadata height is all frames stacked; a frame's is pageHeight.
    const height = meta.pageHeight ?? meta.height;
    if (!meta.width || !height) throw new Error('no dimensions');
    return { bytes, contentType, kind, width: meta.width, height };
  } catch (cause) {
    throw new ApiError('unsupported_type', `The ${type.toUpperCase()} cannot be decoded: ${String(cause)}`);
  }
}
