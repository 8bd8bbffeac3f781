import { Hono } from 'hono';
import { clickRoute, registerRoute } from './click/click-route.ts';
import { configRoute } from './config/config-route.ts';
import { deadLetterRoute } from './dead-letters/dead-letter-route.ts';
import { ApiError } from './http/api-error.ts';
import { pixelRoute } from './pixel/pixel-route.ts';
import { trackingScriptRoute } from './pixel/tracking-script.ts';
import { postbackRoute } from './postback/postback-route.ts';
import type { Bindings } from './settings.ts';

const MAX_URL_LENGTH = 8192;

/**
 * Builds the edge app. Tests and production use this same factory. Overlong URLs are refused
 * before routing (a check in front of Hono costs less per request than a middleware).
 */
export function newApp() {
  const app = newRoutes();
  const fetch: typeof app.fetch = (request, env, ctx) => {
    if (request.url.length > MAX_URL_LENGTH) {
      const requestId = request.headers.get('cf-ray') ?? crypto.randomUUID();
      const message = `URLs are limited to ${MAX_URL_LENGTH} characters.`;
      return Response.json({ error: { code: 'uri_too_long', message, requestId } }, { status: 414 });
    }
    return app.fetch(request, env, ctx);
  };
  return { fetch };
}

function newRoutes() {
  const app = new Hono<{ Bindings: Bindings }>();

  app.onError((error, c) => {
    const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
    if (error instanceof ApiError) {
      return c.json({ error: { code: error.code, message: error.message, requestId } }, error.status);
    }
    console.error(JSON.stringify({ msg: 'unhandled error', requestId, error: String(error) }));
    return c.json(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.', requestId } },
      500,
    );
  });
  app.notFound((c) =>
    c.json(
      { error: { code: 'not_found', message: 'No such endpoint.', requestId: crypto.randomUUID() } },
      404,
    ),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/c', clickRoute);
  app.route('/r', registerRoute);
  app.route('/postback', postbackRoute);
  app.route('/p', pixelRoute);
  app.route('/t.js', trackingScriptRoute);
  app.route('/internal/config', configRoute);
  app.route('/internal/dead-letters', deadLetterRoute);
  return app;
}
