import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import sharp from 'sharp';

/**
 * OpenAI's API on a local port, for what TAS's OpenAI provider calls, in OpenAI's wire format:
 * `Authorization: Bearer sk-...`; `POST /v1/moderations` (JSON, text or `image_url` inputs);
 * `POST /v1/images/generations` (JSON; GPT image models answer `b64_json` PNGs of the size
 * asked); the videos API (`POST /v1/videos` as multipart, `GET /v1/videos/{id}` whose progress
 * moves on at each poll, `GET /v1/videos/{id}/content`); errors as
 * `{ error: { message, type, param, code } }` with OpenAI's statuses (400, 401, 429 with
 * Retry-After, 500). Tests drive it only through the official SDK; the knobs stand for what
 * happens at OpenAI on its own (a rate limit, an outage, a flagged prompt, a job failing).
 */
export type OpenAiFake = Awaited<ReturnType<typeof startOpenAiFake>>;

export type RecordedOpenAiRequest = {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
};

type Video = {
  id: string;
  object: 'video';
  model: string;
  status: 'queued' | 'in_progress' | 'completed' | 'failed';
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  prompt: string;
  seconds: string;
  size: string;
  remixed_from_video_id: null;
  error: { code: string; message: string } | null;
  /** The fake's own: fail at the next poll. */
  failMidway: boolean;
};

class OpenAiApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: { message: string; type: string; param?: string | null; code: string | null },
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  new OpenAiApiError(400, { message, type: 'invalid_request_error', param, code });

const IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'];
const VIDEO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
const MODERATION_CATEGORIES = ['harassment', 'hate', 'illicit', 'self-harm', 'sexual', 'violence'];

/** A real PNG of the size asked: gradients and shapes, so a crop has something to find. */
export async function fakePng(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0f766e"/><stop offset="1" stop-color="#f97316"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${width * 0.6}" cy="${height * 0.45}" r="${Math.min(width, height) * 0.22}" fill="#fde68a"/>
  <rect x="0" y="${height * 0.75}" width="${width}" height="${height * 0.25}" fill="#1e293b" opacity="0.8"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A tiny MP4 (an `ftyp` box and an empty `mdat`): enough to be stored and recognised as MP4. */
export const FAKE_MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mp42isom'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('mdat'),
]);

export async function startOpenAiFake(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? `sk-test-${randomBytes(12).toString('hex')}`;
  const requests: RecordedOpenAiRequest[] = [];
  const videos = new Map<string, Video>();
  const knobs = {
    failures: [] as { status: 429 | 500; retryAfter: number }[],
    flag: null as 'text' | 'image' | null,
    blockImagePrompts: false,
    failVideosMidway: false,
  };
  const pngs = new Map<string, Promise<Buffer>>();
  const png = (size: string) => {
    const [w, h] = size.split('x').map(Number) as [number, number];
    if (!pngs.has(size)) pngs.set(size, fakePng(w, h));
    return pngs.get(size)!;
  };

  async function readBody(req: IncomingMessage): Promise<{ raw: Buffer; body: Record<string, unknown> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    if (raw.length === 0) return { raw, body: {} };
    if (type.startsWith('application/json')) {
      try {
        return { raw, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
      } catch {
        throw invalid('We could not parse the JSON body of your request.');
      }
    }
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const body: Record<string, unknown> = {};
      form.forEach((value, key) => {
        body[key] = typeof value === 'string' ? value : '(file)';
      });
      return { raw, body };
    }
    throw invalid(`Unsupported content type: ${type}`);
  }

  function moderate(body: Record<string, unknown>) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.length === 0 || inputs.some((i) => i === undefined || i === ''))
      throw invalid("Missing required parameter: 'input'.", 'input');
    const results = inputs.map((input) => {
      const kind =
        typeof input === 'string' || (input as { type?: string }).type === 'text' ? 'text' : 'image';
      const flagged = knobs.flag === kind;
      const categories = Object.fromEntries(
        MODERATION_CATEGORIES.map((c) => [c, flagged && c === 'violence']),
      );
      return {
        flagged,
        categories,
        category_scores: Object.fromEntries(
          MODERATION_CATEGORIES.map((c) => [c, flagged && c === 'violence' ? 0.93 : 0.0004]),
        ),
        category_applied_input_types: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, [kind]])),
      };
    });
    return {
      id: `modr-${randomBytes(8).toString('hex')}`,
      model: body.model ?? 'omni-moderation-latest',
      results,
    };
  }

  async function generateImage(body: Record<string, unknown>) {
    const model = String(body.model ?? 'dall-e-2');
    if (!model.startsWith('gpt-image'))
      throw invalid(`The fake serves GPT image models, not ${model}.`, 'model');
    if (typeof body.prompt !== 'string' || body.prompt.length === 0)
      throw invalid("Missing required parameter: 'prompt'.", 'prompt');
    if (body.prompt.length > 32_000) throw invalid('Prompt too long (max 32000 characters).', 'prompt');
    if (body.response_format !== undefined)
      throw invalid("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
    const size = String(body.size ?? 'auto');
    if (!IMAGE_SIZES.includes(size))
      throw invalid(
        `Invalid value: '${size}'. Supported values are: ${IMAGE_SIZES.map((s) => `'${s}'`).join(', ')}.`,
        'size',
        'invalid_value',
      );
    if (knobs.blockImagePrompts) {
      throw new OpenAiApiError(400, {
        message:
          'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.',
        type: 'image_generation_user_error',
        param: null,
        code: 'moderation_blocked',
      });
    }
    const actual = size === 'auto' ? '1024x1024' : size;
    const b64 = (await png(actual)).toString('base64');
    const n = Number(body.n ?? 1);
    return {
      created: Math.floor(Date.now() / 1000),
      background: 'opaque',
      output_format: 'png',
      quality: body.quality === 'auto' || !body.quality ? 'medium' : body.quality,
      size: actual,
      data: Array.from({ length: n }, () => ({ b64_json: b64 })),
      usage: {
        input_tokens: 50,
        output_tokens: 1056,
        total_tokens: 1106,
        input_tokens_details: { text_tokens: 50, image_tokens: 0 },
      },
    };
  }

  function createVideo(body: Record<string, unknown>) {
    if (typeof body.prompt !== 'string' || body.prompt.length === 0)
      throw invalid("Missing required parameter: 'prompt'.", 'prompt');
    const size = String(body.size ?? '720x1280');
    if (!VIDEO_SIZES.includes(size)) throw invalid(`Invalid value: '${size}'.`, 'size', 'invalid_value');
    const seconds = String(body.seconds ?? '4');
    if (!['4', '8', '12'].includes(seconds))
      throw invalid(`Invalid value: '${seconds}'.`, 'seconds', 'invalid_value');
    const video: Video = {
      id: `video_${randomBytes(12).toString('hex')}`,
      object: 'video',
      model: String(body.model ?? 'sora-2'),
      status: 'queued',
      progress: 0,
      created_at: Math.floor(Date.now() / 1000),
      completed_at: null,
      expires_at: null,
      prompt: body.prompt,
      seconds,
      size,
      remixed_from_video_id: null,
      error: null,
      failMidway: knobs.failVideosMidway,
    };
    videos.set(video.id, video);
    return publicVideo(video);
  }

  /** Each poll moves a job on: queued, half done, then completed (or failed, when asked). */
  function pollVideo(id: string) {
    const video = videos.get(id);
    if (!video)
      throw new OpenAiApiError(404, {
        message: `Video with id '${id}' not found.`,
        type: 'invalid_request_error',
        code: null,
      });
    if (video.status === 'queued') Object.assign(video, { status: 'in_progress', progress: 50 });
    else if (video.status === 'in_progress' && video.failMidway)
      Object.assign(video, {
        status: 'failed',
        error: { code: 'video_generation_failed', message: 'Video generation failed. Please try again.' },
      });
    else if (video.status === 'in_progress')
      Object.assign(video, {
        status: 'completed',
        progress: 100,
        completed_at: Math.floor(Date.now() / 1000),
        expires_at: Math.floor(Date.now() / 1000) + 3600,
      });
    return publicVideo(video);
  }

  function publicVideo({ failMidway: _, ...video }: Video) {
    return video;
  }

  async function route(req: IncomingMessage, path: string, body: Record<string, unknown>) {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/moderations') return json(moderate(body));
    if (method === 'POST' && path === '/v1/images/generations') return json(await generateImage(body));
    if (method === 'POST' && path === '/v1/videos') return json(createVideo(body));
    const content = /^\/v1\/videos\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && content) {
      const video = videos.get(content[1]!);
      if (video?.status !== 'completed')
        throw invalid(`Video '${content[1]}' is not ready: ${video?.status ?? 'unknown'}.`);
      return { status: 200, headers: { 'content-type': 'video/mp4' }, bytes: FAKE_MP4 };
    }
    const one = /^\/v1\/videos\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) return json(pollVideo(one[1]!));
    throw new OpenAiApiError(404, {
      message: `Invalid URL (${method} ${path})`,
      type: 'invalid_request_error',
      code: null,
    });
  }

  const json = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    bytes: Buffer.from(JSON.stringify(body)),
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let answer: { status: number; headers: Record<string, string>; bytes: Buffer };
    try {
      const { body } = await readBody(req);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        contentType: req.headers['content-type'],
        body,
      });
      const auth = req.headers.authorization;
      if (auth !== `Bearer ${apiKey}`) {
        const shown = auth?.replace(/^Bearer /, '') ?? '';
        throw new OpenAiApiError(401, {
          message: auth
            ? `Incorrect API key provided: ${shown.slice(0, 3)}***${shown.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`
            : "You didn't provide an API key.",
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        });
      }
      const failure = knobs.failures.shift();
      if (failure?.status === 429)
        throw new OpenAiApiError(
          429,
          {
            message: 'Rate limit reached for requests. Please try again later.',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
          { 'retry-after': String(failure.retryAfter) },
        );
      if (failure?.status === 500)
        throw new OpenAiApiError(500, {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          param: null,
          code: null,
        });
      answer = await route(req, url.pathname, body);
    } catch (error) {
      if (!(error instanceof OpenAiApiError)) throw error;
      answer = {
        status: error.status,
        headers: { 'content-type': 'application/json', ...error.headers },
        bytes: Buffer.from(JSON.stringify({ error: { param: null, ...error.error } })),
      };
    }
    res.writeHead(answer.status, {
      ...answer.headers,
      'x-request-id': `req_${randomBytes(8).toString('hex')}`,
    });
    res.end(answer.bytes);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: String(error), type: 'server_error', param: null, code: null } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    /** The SDK's `baseURL`. */
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    videos,
    /** The next `count` requests are refused unexecuted: 429 (with Retry-After seconds) or 500. */
    failNext(count: number, status: 429 | 500 = 429, retryAfter = 7) {
      for (let i = 0; i < count; i++) knobs.failures.push({ status, retryAfter });
    },
    /** Moderation flags text inputs, image inputs, or nothing (null). */
    flagModeration(kind: 'text' | 'image' | null) {
      knobs.flag = kind;
    },
    /** The image endpoint's own safety system refuses every prompt (400 `moderation_blocked`). */
    blockImagePrompts(on = true) {
      knobs.blockImagePrompts = on;
    },
    /** Video jobs created from now on fail at their second poll, after reaching 50%. */
    failVideosMidway(on = true) {
      knobs.failVideosMidway = on;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
