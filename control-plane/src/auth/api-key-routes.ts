import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { AccessTokenKeys } from './access-tokens.ts';
import {
  apiKeyCreateRequestSchema,
  apiKeyResponse,
  apiKeyResponseSchema,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from './api-key-service.ts';

const tags = ['api keys'];

/** /api/v1/api-keys: a user's keys for server-to-server calls. Managed only from a session. */
export function apiKeyRoutes(deps: { db: Database; keys: AccessTokenKeys; now?: () => Date }) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Your API keys (never the keys themselves)',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(z.object({ data: z.array(apiKeyResponseSchema) }), 'Keys'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json({ data: (await listApiKeys(deps.db, c.var.principal)).map(apiKeyResponse) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a key; the key is shown in this answer only',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(apiKeyCreateRequestSchema) },
      responses: {
        201: jsonResponse(
          z.object({
            key: z.string().describe('Send as Authorization: Bearer <key>'),
            apiKey: apiKeyResponseSchema,
          }),
          'Created',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { key, apiKey } = await createApiKey(deps.db, c.var.principal, c.req.valid('json'));
      return c.json({ key, apiKey: apiKeyResponse(apiKey) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      summary: 'Revoke a key',
      security: bearerSecurity,
      middleware: guard,
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        204: { description: 'Revoked' },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      await revokeApiKey(deps.db, c.var.principal, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  return app;
}
