import { createRoute } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import { revokeUserApiKeys } from '../auth/api-key-service.ts';
import { revokeUserSessions } from '../auth/session-service.ts';
import type { Database } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { clientIp } from '../http/client-ip.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { userCreateRequestSchema, userResponseSchema } from './account-schemas.ts';
import { createUser, userResponse } from './account-service.ts';

const tags = ['users'];

/** /api/v1/users: admins manage accounts (creating other admins included). People only, no API keys. */
export function userRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession, requireRole('admin')];
  const now = () => (deps.now ?? (() => new Date()))();
  const ipOf = (c: Parameters<typeof clientIp>[0]) =>
    clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'All users',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(z.object({ data: z.array(userResponseSchema) }), 'Users'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const rows = await deps.db.select().from(users).orderBy(asc(users.createdAt));
      return c.json({ data: await Promise.all(rows.map((u) => userResponse(deps.db, u))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a user of any role',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(userCreateRequestSchema) },
      responses: {
        201: jsonResponse(userResponseSchema, 'Created'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const user = await createUser(deps, c.req.valid('json'));
      await recordAudit(
        deps.db,
        {
          actor: c.var.principal.userId,
          action: 'user.created',
          subject: { type: 'user', id: user.id },
          ip: ipOf(c),
          detail: { email: user.email, role: user.role },
        },
        now(),
      );
      return c.json(await userResponse(deps.db, user), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      summary: 'Enable or disable a user (disabling ends its sessions and revokes its API keys at once)',
      security: bearerSecurity,
      middleware: guard,
      request: {
        params: z.object({ id: z.uuid() }),
        body: jsonBody(z.object({ isActive: z.boolean() }).meta({ id: 'UserUpdateRequest' })),
      },
      responses: {
        200: jsonResponse(userResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (id === c.var.principal.userId) throw new ApiError('conflict', 'You cannot disable yourself.');
      const { isActive } = c.req.valid('json');
      const at = now();
      const user = await deps.db.transaction(async (tx) => {
        const [before] = await tx.select({ isActive: users.isActive }).from(users).where(eq(users.id, id));
        const [row] = await tx.update(users).set({ isActive }).where(eq(users.id, id)).returning();
        if (!row || !before) throw new ApiError('not_found', `User ${id} does not exist.`);
        // Access tokens are checked against the user on every request; refresh tokens too. Keys
        // are revoked for good: enabling the user again does not bring them back.
        const revoked = isActive
          ? { sessions: 0, apiKeys: 0 }
          : {
              sessions: await revokeUserSessions(tx, id, null, 'disabled', at),
              apiKeys: await revokeUserApiKeys(tx, id, at),
            };
        if (before.isActive !== isActive) {
          await recordAudit(
            tx,
            {
              actor: c.var.principal.userId,
              action: isActive ? 'user.enabled' : 'user.disabled',
              subject: { type: 'user', id },
              ip: ipOf(c),
              detail: isActive ? {} : { revokedSessions: revoked.sessions, revokedApiKeys: revoked.apiKeys },
            },
            at,
          );
        }
        return row;
      });
      return c.json(await userResponse(deps.db, user), 200);
    },
  );
  return app;
}
