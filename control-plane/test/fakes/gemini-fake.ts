import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import sharp from 'sharp';

/**
 * The Gemini API (generativelanguage, v1beta) on a local port, for what TAS's Gemini provider
 * calls, in Google's wire format: `x-goog-api-key`; `POST models/{model}:generateContent` (JSON
 * `contents` and `generationConfig`; an image model answers the image as a candidate's
 * `inlineData`, base64); videos as a long-running operation (`POST models/{model}:predictLongRunning`,
 * `GET models/{model}/operations/{id}` moving on at each poll, then `files/{id}:download?alt=media`);
 * safety blocks as `promptFeedback.blockReason` or a candidate's `finishReason`; errors as
 * `{ error: { code, message, status, details } }` (a bad key is Google's 400 `API_KEY_INVALID`,
 * a rate limit 429 `RESOURCE_EXHAUSTED` with a `RetryInfo`). Tests drive it only through
 * `@google/genai`.
 */
export type GeminiFake = Awaited<ReturnType<typeof startGeminiFake>>;

export type RecordedGeminiRequest = { method: string; path: string; body: Record<string, unknown> };

type Operation = { name: string; polls: number; fail: 'midway' | 'filtered' | null; fileId: string };

class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

const invalid = (message: string) => new GoogleApiError(400, 'INVALID_ARGUMENT', message);

/** Sizes Gemini's image model answers for each aspect ratio (1K). */
const IMAGE_SIZES: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '3:2': [1248, 832],
  '2:3': [832, 1248],
  '16:9': [1344, 768],
  '9:16': [768, 1344],
};

async function fakePng(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e3a8a"/><stop offset="1" stop-color="#fb923c"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${width * 0.35}" cy="${height * 0.5}" r="${Math.min(width, height) * 0.2}" fill="#fef3c7"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A tiny MP4 (an `ftyp` box and an empty `mdat`). */
const FAKE_MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mp42isom'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('mdat'),
]);

export async function startGeminiFake(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? `AIza${randomBytes(16).toString('hex')}`;
  const requests: RecordedGeminiRequest[] = [];
  const operations = new Map<string, Operation>();
  const files = new Set<string>();
  const knobs = {
    failures: [] as { status: 429 | 500 | 503; retryAfter: number }[],
    block: null as 'prompt' | 'image' | null,
    videos: null as Operation['fail'],
  };

  async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return {};
    if (!req.headers['content-type']?.startsWith('application/json')) throw invalid('Expected a JSON body.');
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw invalid('Invalid JSON payload received.');
    }
  }

  function promptOf(body: Record<string, unknown>): string {
    const contents = body.contents as { parts?: { text?: string }[] }[] | undefined;
    const text = contents?.flatMap((c) => c.parts ?? []).find((p) => typeof p.text === 'string')?.text;
    if (!text) throw invalid('* GenerateContentRequest.contents: contents is not specified');
    return text;
  }

  async function generateContent(model: string, body: Record<string, unknown>) {
    promptOf(body);
    const config = (body.generationConfig ?? {}) as {
      responseModalities?: string[];
      imageConfig?: { aspectRatio?: string };
    };
    const usageMetadata = { promptTokenCount: 120, candidatesTokenCount: 1290, totalTokenCount: 1410 };
    const base = { usageMetadata, modelVersion: model, responseId: randomBytes(8).toString('hex') };
    if (knobs.block === 'prompt') return { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, ...base };
    if (knobs.block === 'image') return { candidates: [{ finishReason: 'IMAGE_SAFETY', index: 0 }], ...base };
    if (!model.includes('image') || !config.responseModalities?.includes('IMAGE')) {
      return {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'I can only answer in text.' }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        ...base,
      };
    }
    const ratio = config.imageConfig?.aspectRatio ?? '1:1';
    const size = IMAGE_SIZES[ratio];
    if (!size) throw invalid(`Unsupported aspect ratio: ${ratio}`);
    const data = (await fakePng(...size)).toString('base64');
    return {
      candidates: [
        {
          content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      ...base,
    };
  }

  function predictLongRunning(model: string, body: Record<string, unknown>) {
    const instances = body.instances as { prompt?: string }[] | undefined;
    if (!instances?.[0]?.prompt) throw invalid('* instances[0].prompt: required');
    const parameters = (body.parameters ?? {}) as { aspectRatio?: string };
    if (parameters.aspectRatio && !['16:9', '9:16'].includes(parameters.aspectRatio))
      throw invalid(`Aspect ratio ${parameters.aspectRatio} is not supported.`);
    const name = `models/${model}/operations/${randomBytes(6).toString('hex')}`;
    operations.set(name, { name, polls: 0, fail: knobs.videos, fileId: randomBytes(6).toString('hex') });
    return { name };
  }

  /** First poll: running; second: done (a video, an error, or the samples filtered by safety). */
  function getOperation(name: string) {
    const operation = operations.get(name);
    if (!operation) throw new GoogleApiError(404, 'NOT_FOUND', `Operation ${name} not found.`);
    operation.polls++;
    if (operation.polls < 2) return { name };
    if (operation.fail === 'midway')
      return {
        name,
        done: true,
        error: { code: 13, message: 'Video generation failed due to an internal error.' },
      };
    const response = {
      '@type': 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse',
    };
    if (operation.fail === 'filtered') {
      return {
        name,
        done: true,
        response: {
          ...response,
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: [
              'The video could not be generated because it violates the usage guidelines.',
            ],
          },
        },
      };
    }
    files.add(operation.fileId);
    return {
      name,
      done: true,
      response: {
        ...response,
        generateVideoResponse: {
          generatedSamples: [
            {
              video: {
                uri: `https://generativelanguage.googleapis.com/v1beta/files/${operation.fileId}:download?alt=media`,
              },
            },
          ],
        },
      },
    };
  }

  async function route(method: string, url: URL, body: Record<string, unknown>) {
    const path = url.pathname;
    const action = /^\/v1beta\/models\/([^/:]+):(generateContent|predictLongRunning)$/.exec(path);
    if (method === 'POST' && action?.[2] === 'generateContent')
      return json(await generateContent(action[1]!, body));
    if (method === 'POST' && action?.[2] === 'predictLongRunning')
      return json(predictLongRunning(action[1]!, body));
    const operation = /^\/v1beta\/(models\/[^/]+\/operations\/[^/]+)$/.exec(path);
    if (method === 'GET' && operation) return json(getOperation(operation[1]!));
    const file = /^\/v1beta\/files\/([a-z0-9]+):download$/.exec(path);
    if (method === 'GET' && file && url.searchParams.get('alt') === 'media') {
      if (!files.has(file[1]!)) throw new GoogleApiError(404, 'NOT_FOUND', `File ${file[1]} not found.`);
      return { status: 200, headers: { 'content-type': 'video/mp4' }, bytes: FAKE_MP4 };
    }
    throw new GoogleApiError(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`);
  }

  const json = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    bytes: Buffer.from(JSON.stringify(body)),
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let answer: { status: number; headers: Record<string, string>; bytes: Buffer };
    try {
      const body = await readJson(req);
      requests.push({ method, path: url.pathname, body });
      if (req.headers['x-goog-api-key'] !== apiKey) {
        throw new GoogleApiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
          },
        ]);
      }
      const failure = knobs.failures.shift();
      if (failure?.status === 429)
        throw new GoogleApiError(
          429,
          'RESOURCE_EXHAUSTED',
          'Resource has been exhausted (e.g. check quota).',
          [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${failure.retryAfter}s` }],
        );
      if (failure?.status === 500)
        throw new GoogleApiError(
          500,
          'INTERNAL',
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
        );
      if (failure?.status === 503)
        throw new GoogleApiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
      answer = await route(method, url, body);
    } catch (error) {
      if (!(error instanceof GoogleApiError)) throw error;
      const details = error.details.length > 0 ? { details: error.details } : {};
      answer = {
        status: error.code,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        bytes: Buffer.from(
          JSON.stringify({
            error: { code: error.code, message: error.message, status: error.status, ...details },
          }),
        ),
      };
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.bytes);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 500, message: String(error), status: 'INTERNAL' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    /** The SDK's `httpOptions.baseUrl`. */
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    operations,
    /** The next `count` requests are refused unexecuted: 429 (with a RetryInfo of `retryAfter` s), 500 or 503. */
    failNext(count: number, status: 429 | 500 | 503 = 429, retryAfter = 9) {
      for (let i = 0; i < count; i++) knobs.failures.push({ status, retryAfter });
    },
    /** Safety blocks the prompt (`promptFeedback.blockReason`), the image (`finishReason: IMAGE_SAFETY`), or nothing. */
    block(what: 'prompt' | 'image' | null) {
      knobs.block = what;
    },
    /** Video operations started from now on fail at their second poll, or have their samples filtered, or succeed (null). */
    videos(outcome: 'midway' | 'filtered' | null) {
      knobs.videos = outcome;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
