import { Hono } from 'hono';
import { adRoute } from './ad/ad-route.ts';
import { capUsageRoute } from './caps/cap-usage-route.ts';
import { clickRoute, registerRoute } from './click/click-route.ts';
import { configRoute } from './config/config-route.ts';
import { deadLetterRoute } from './dead-letters/dead-letter-route.ts';
import { ApiError, ERROR_STATUS, errorBody } from './http/api-error.ts';
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
      const message = `URLs are limited to ${MAX_URL_LENGTH} characters.`;
      return Response.json(errorBody('uri_too_long', message, request), {
        status: ERROR_STATUS.uri_too_long,
      });
    }
    return app.fetch(request, env, ctx);
  };
  return { fetch };
}

function newRoutes() {
  const app = new Hono<{ Bindings: Bindings }>();

  app.onError((error, c) => {
    if (error instanceof ApiError)
      return c.json(errorBody(error.code, error.message, c.req.raw), error.status);
    const body = errorBody('internal_error', 'Something went wrong on our side.', c.req.raw);
    console.error(
      JSON.stringify({ msg: 'unhandled error', requestId: body.error.requestId, error: String(error) }),
    );
    return c.json(body, 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', 'No such endpoint.', c.req.raw), 404));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/c', clickRoute);
  app.route('/r', registerRoute);
  app.route('/ad', adRoute);
  app.route('/postback', postbackRoute);
  app.route('/p', pixelRoute);
  app.route('/t.js', trackingScriptRoute);
  app.route('/internal/config', configRoute);
  app.route('/internal/dead-letters', deadLetterRoute);
  app.route('/internal/caps', capUsageRoute);
  return app;
}
