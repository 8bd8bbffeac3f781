import { Hono } from 'hono';
import type { Database } from './db/database.ts';
import { ApiError } from './http/api-error.ts';
import { ingestRoute } from './ingest/ingest-route.ts';

export type AppDeps = { db: Database; ingestSigningSecret: string };

/** Builds the control plane app. Tests and the server use this same factory. */
export function newApp(deps: AppDeps) {
  const app = new Hono();

  app.onError((error, c) => {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID();
    if (error instanceof ApiError) {
      return c.json({ error: { code: error.code, message: error.message, requestId } }, error.status);
    }
    console.error(
      JSON.stringify({ msg: 'unhandled error', requestId, path: c.req.path, error: String(error) }),
    );
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
  app.route('/internal/ingest', ingestRoute(deps));
  return app;
}
