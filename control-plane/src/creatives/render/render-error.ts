/**
 * Why a render was refused or failed, as a closed set of codes a generation job records and an
 * API answers with:
 * - `invalid_request`: the input does not match the schema (details in the message);
 * - `banned_words`: the copy uses words the brand kit forbids (listed in `words`);
 * - `unsupported_image`: a logo or image is not PNG, JPEG or WebP (SVG is refused: it can carry
 *   scripts and external references), or cannot be decoded;
 * - `ffmpeg_unavailable`: video needs ffmpeg, which is not installed (the message says how);
 * - `ffmpeg_failed`: ffmpeg ran and failed (its last lines of output in the message);
 * - `cancelled`: the caller's signal aborted the render.
 */
export class CreativeRenderError extends Error {
  readonly code:
    | 'invalid_request'
    | 'banned_words'
    | 'unsupported_image'
    | 'ffmpeg_unavailable'
    | 'ffmpeg_failed'
    | 'cancelled';
  readonly words: string[];
  constructor(
    code: CreativeRenderError['code'],
    message: string,
    options: { words?: string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CreativeRenderError';
    this.code = code;
    this.words = options.words ?? [];
  }
}
