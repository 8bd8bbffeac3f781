import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { Database } from '../db/database.ts';
import { newApiRouter } from '../http/api-router.ts';
import { clientIp } from '../http/client-ip.ts';
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
export function apiKeyRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession];
  const now = () => (deps.now ?? (() => new Date()))();
  const ipOf = (c: Parameters<typeof clientIp>[0]) =>
    clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops);

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
      description:
        'expiresAt, when given, must be in the future; the key is refused after it (401 saying it expired).',
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
        ...errorResponses('unauthorized', 'forbidden', 'invalid_request'),
      },
    }),
    async (c) => {
      const at = now();
      const { principal } = c.var;
      const { key, apiKey } = await createApiKey(deps.db, principal, c.req.valid('json'), at);
      await recordAudit(
        deps.db,
        {
          actor: principal.userId,
          action: 'api_key.created',
          subject: { type: 'api_key', id: apiKey.id },
          ip: ipOf(c),
          detail: {
            name: apiKey.name,
            prefix: apiKey.prefix,
            scopes: apiKey.scopes,
            expiresAt: apiKey.expiresAt?.toISOString() ?? null,
          },
        },
        at,
      );
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
      const at = now();
      const { principal } = c.var;
      const { apiKey, revoked } = await revokeApiKey(deps.db, principal, c.req.valid('param').id, at);
      if (revoked) {
        await recordAudit(
          deps.db,
          {
            actor: principal.userId,
            action: 'api_key.revoked',
            subject: { type: 'api_key', id: apiKey.id },
            ip: ipOf(c),
            detail: { name: apiKey.name, prefix: apiKey.prefix },
          },
          at,
        );
      }
      return c.body(null, 204);
    },
  );
  return app;
}
