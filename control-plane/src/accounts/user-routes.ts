import { createRoute } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AuditAction } from '../audit/audit-actions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import { revokeUserApiKeys } from '../auth/api-key-service.ts';
import { roleSchema } from '../auth/roles.ts';
import { revokeUserSessions } from '../auth/session-service.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
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
      summary: 'Enable or disable a user, or change its role',
      description:
        'Disabling ends its sessions and revokes its API keys at once (enabling again does not bring ' +
        'the keys back). A new role applies from the next request; the API keys made under the old ' +
        'one are revoked. Becoming an advertiser or affiliate needs a company of that kind whose ' +
        'login the user already is (409 otherwise). Nobody changes themselves.',
      security: bearerSecurity,
      middleware: guard,
      request: {
        params: z.object({ id: z.uuid() }),
        body: jsonBody(
          z
            .object({ isActive: z.boolean().optional(), role: roleSchema.optional() })
            .refine((body) => body.isActive !== undefined || body.role !== undefined, 'nothing to change')
            .meta({ id: 'UserUpdateRequest' }),
        ),
      },
      responses: {
        200: jsonResponse(userResponseSchema, 'Changed'),
        ...errorResponses('unauthorized', 'forbidden', 'not_found', 'conflict'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (id === c.var.principal.userId) {
        throw new ApiError('conflict', 'You cannot disable yourself or change your own role.');
      }
      const { isActive, role } = c.req.valid('json');
      const at = now();
      const audit = (tx: Database, action: AuditAction, detail: Record<string, unknown>) =>
        recordAudit(
          tx,
          { actor: c.var.principal.userId, action, subject: { type: 'user', id }, ip: ipOf(c), detail },
          at,
        );
      const user = await deps.db.transaction(async (tx) => {
        const [before] = await tx
          .select({ isActive: users.isActive, role: users.role })
          .from(users)
          .where(eq(users.id, id))
          .for('update');
        if (!before) throw new ApiError('not_found', `User ${id} does not exist.`);
        const roleChanges = role !== undefined && role !== before.role;
        if (roleChanges && role !== 'admin' && !(await hasCompanyOf(tx, role, id))) {
          throw new ApiError(
            'conflict',
            `User ${id} is not the login of any ${role}: create a user for the ${role} instead.`,
          );
        }
        const [row] = await tx
          .update(users)
          .set({
            ...(isActive !== undefined ? { isActive } : {}),
            ...(roleChanges ? { role } : {}),
            updatedAt: at,
          })
          .where(eq(users.id, id))
          .returning();
        if (!row) throw new ApiError('not_found', `User ${id} does not exist.`);
        if (roleChanges) {
          // Keys were granted scopes under the old role: none may outlive it.
          await audit(tx, 'user.role_changed', {
            from: before.role,
            to: role,
            revokedApiKeys: await revokeUserApiKeys(tx, id, at),
          });
        }
        if (isActive !== undefined && before.isActive !== isActive) {
          // Access tokens are checked against the user on every request; refresh tokens too. Keys
          // are revoked for good: enabling the user again does not bring them back.
          if (isActive) await audit(tx, 'user.enabled', {});
          else {
            await audit(tx, 'user.disabled', {
              revokedSessions: await revokeUserSessions(tx, id, null, 'disabled', at),
              revokedApiKeys: await revokeUserApiKeys(tx, id, at),
            });
          }
        }
        return row;
      });
      return c.json(await userResponse(deps.db, user), 200);
    },
  );
  return app;
}

/** Whether the user is the login of a company of the role's kind (what an advertiser or affiliate acts for). */
async function hasCompanyOf(
  db: Database,
  role: 'advertiser' | 'affiliate',
  userId: string,
): Promise<boolean> {
  const table = role === 'advertiser' ? advertisers : affiliates;
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.userId, userId)).limit(1);
  return row !== undefined;
}
