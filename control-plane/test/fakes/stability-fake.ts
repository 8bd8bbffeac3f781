import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import sharp from 'sharp';

/**
 * Stability AI's REST API on a local port, for what TAS's Stability provider calls, in its wire
 * format: `POST /v2beta/stable-image/generate/{core,ultra,sd3}` as multipart form data,
 * `authorization: Bearer sk-...`, `accept: image/*` (the image's bytes, with `finish-reason` and
 * `seed` headers) or `application/json` (`{ image, finish_reason, seed }`, base64); errors as
 * `{ id, name, errors: [...] }` with Stability's statuses (400 bad_request, 401 unauthorized,
 * 402 payment_required, 403 content_moderation, 429 rate_limit_exceeded, 500 internal_error).
 */
export type StabilityFake = Awaited<ReturnType<typeof startStabilityFake>>;

export type RecordedStabilityRequest = {
  method: string;
  path: string;
  contentType: string | undefined;
  accept: string | undefined;
  fields: Record<string, string>;
};

class StabilityApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly errors: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.join('; '));
  }
}

/** Stability's output sizes for each aspect ratio (about one megapixel). */
const SIZES: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '3:2': [1216, 832],
  '2:3': [832, 1216],
  '16:9': [1344, 768],
  '9:16': [768, 1344],
  '4:5': [896, 1088],
  '5:4': [1088, 896],
  '21:9': [1536, 640],
  '9:21': [640, 1536],
};
const FORMATS = ['png', 'jpeg', 'webp'] as const;

async function fakeImage(width: number, height: number, format: (typeof FORMATS)[number]): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><radialGradient id="g"><stop offset="0" stop-color="#fde68a"/><stop offset="1" stop-color="#7c2d12"/></radialGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <rect x="${width * 0.1}" y="${height * 0.6}" width="${width * 0.8}" height="${height * 0.1}" fill="#0f766e"/>
</svg>`;
  return sharp(Buffer.from(svg)).toFormat(format).toBuffer();
}

export async function startStabilityFake(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? `sk-${randomBytes(20).toString('hex')}`;
  const requests: RecordedStabilityRequest[] = [];
  const knobs = {
    failures: [] as { status: 429 | 500; retryAfter: number | null }[],
    moderation: null as 'refuse' | 'filter' | null,
    outOfCredits: false,
  };

  async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data'))
      throw new StabilityApiError(400, 'bad_request', ['content-type: must be multipart/form-data']);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
    const fields: Record<string, string> = {};
    form.forEach((value, key) => {
      fields[key] = typeof value === 'string' ? value : '(file)';
    });
    return fields;
  }

  async function generate(
    service: string,
    fields: Record<string, string>,
    accept: string | undefined,
  ): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }> {
    if (!fields.prompt) throw new StabilityApiError(400, 'bad_request', ['prompt: cannot be empty']);
    if (fields.prompt.length > 10_000)
      throw new StabilityApiError(400, 'bad_request', ['prompt: must be at most 10000 characters']);
    const ratio = fields.aspect_ratio ?? '1:1';
    const size = SIZES[ratio];
    if (!size)
      throw new StabilityApiError(400, 'bad_request', [
        `aspect_ratio: must be one of ${Object.keys(SIZES).join(', ')}`,
      ]);
    const format = (fields.output_format ?? 'png') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new StabilityApiError(400, 'bad_request', ['output_format: must be png, jpeg or webp']);
    if (!['core', 'ultra', 'sd3'].includes(service))
      throw new StabilityApiError(404, 'not_found', [`unknown service ${service}`]);
    if (knobs.outOfCredits)
      throw new StabilityApiError(402, 'payment_required', [
        'You lack sufficient credits to make this request. Please purchase more credits at https://platform.stability.ai/account/credits and try again.',
      ]);
    if (knobs.moderation === 'refuse')
      throw new StabilityApiError(403, 'content_moderation', [
        'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.',
      ]);
    const image = await fakeImage(...size, format);
    const finishReason = knobs.moderation === 'filter' ? 'CONTENT_FILTERED' : 'SUCCESS';
    const seed = String(Math.floor(Math.random() * 4_294_967_294));
    if (accept === 'application/json')
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        bytes: Buffer.from(
          JSON.stringify({
            image: image.toString('base64'),
            finish_reason: finishReason,
            seed: Number(seed),
          }),
        ),
      };
    if (accept !== 'image/*')
      throw new StabilityApiError(400, 'bad_request', ['accept: must be image/* or application/json']);
    return {
      status: 200,
      headers: { 'content-type': `image/${format}`, 'finish-reason': finishReason, seed },
      bytes: image,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let answer: { status: number; headers: Record<string, string>; bytes: Buffer };
    try {
      const route = /^\/v2beta\/stable-image\/generate\/([a-z0-9]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !route)
        throw new StabilityApiError(404, 'not_found', [`${req.method} ${url.pathname}: not found`]);
      const fields = await readForm(req);
      const accept = req.headers.accept;
      requests.push({
        method: 'POST',
        path: url.pathname,
        contentType: req.headers['content-type'],
        accept,
        fields,
      });
      if (req.headers.authorization !== `Bearer ${apiKey}`)
        throw new StabilityApiError(401, 'unauthorized', ['authorization: invalid or missing API key']);
      const failure = knobs.failures.shift();
      if (failure?.status === 429)
        throw new StabilityApiError(
          429,
          'rate_limit_exceeded',
          [
            'You have exceeded the rate limit of 150 requests within a 10 second period, and have been blocked for the next 60 seconds.',
          ],
          failure.retryAfter === null ? {} : { 'retry-after': String(failure.retryAfter) },
        );
      if (failure?.status === 500)
        throw new StabilityApiError(500, 'internal_error', [
          'An unexpected server error has occurred, please try again later.',
        ]);
      answer = await generate(route[1]!, fields, accept);
    } catch (error) {
      if (!(error instanceof StabilityApiError)) throw error;
      answer = {
        status: error.status,
        headers: { 'content-type': 'application/json', ...error.headers },
        bytes: Buffer.from(
          JSON.stringify({ id: randomUUID().replace(/-/g, ''), name: error.kind, errors: error.errors }),
        ),
      };
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.bytes);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID(), name: 'internal_error', errors: [String(error)] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    /** The next `count` requests are refused: 429 (with Retry-After seconds, or none when null) or 500. */
    failNext(count: number, status: 429 | 500 = 429, retryAfter: number | null = 5) {
      for (let i = 0; i < count; i++) knobs.failures.push({ status, retryAfter });
    },
    /** Moderation refuses prompts (403), filters the image (200 `finish-reason: CONTENT_FILTERED`), or lets all through. */
    moderate(what: 'refuse' | 'filter' | null) {
      knobs.moderation = what;
    },
    /** The account has no credits left (402). */
    outOfCredits(on = true) {
      knobs.outOfCredits = on;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
