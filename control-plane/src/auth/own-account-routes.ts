import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { userResponseSchema } from '../accounts/account-schemas.ts';
import { userResponse } from '../accounts/account-service.ts';
import type { Database } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { clientIp } from '../http/client-ip.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { deleteOwnAccount } from '../privacy/delete-own-account.ts';
import type { AccessTokenKeys } from './access-tokens.ts';
import { changePassword } from './change-password.ts';
import { endOwnSession, listOwnSessions } from './own-sessions.ts';
import { passwordSchema } from './passwords.ts';
import type { Principal } from './principal.ts';

const ownSessionSchema = z
  .object({
    id: z.uuid(),
    current: z.boolean().describe('The session this request was made with'),
    ip: z.string().nullable().describe('The address it logged in from'),
    userAgent: z.string().nullable().describe('The browser or client it logged in with'),
    createdAt: z.iso.datetime().describe('When it logged in'),
    lastUsedAt: z.iso
      .datetime()
      .describe('When its tokens were last refreshed (about every 15 minutes in use)'),
    expiresAt: z.iso.datetime().describe('When it ends by itself'),
  })
  .describe('An open session (a login) of the current user')
  .meta({ id: 'OwnSession' });

const nameSchema = z.string().trim().max(100).nullable();

const profileUpdateSchema = z
  .object({
    firstName: nameSchema.optional().describe('Empty or null: none'),
    lastName: nameSchema.optional().describe('Empty or null: none'),
  })
  .refine((body) => body.firstName !== undefined || body.lastName !== undefined, 'nothing to change')
  .describe('Your own name (the email address is changed by an admin)')
  .meta({ id: 'ProfileUpdateRequest' });

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: passwordSchema,
  })
  .describe('The current password, and the new one')
  .meta({ id: 'ChangePasswordRequest' });

const deleteAccountSchema = z
  .object({ password: z.string().min(1).max(256).describe('Your current password') })
  .describe('The password, to prove it is you')
  .meta({ id: 'DeleteAccountRequest' });

const sessionParamsSchema = z.object({ id: z.uuid().describe('Session id') });

/**
 * /api/v1/auth: what a signed-in person does to their own account: see and end their sessions,
 * change their name and their password. From a session only; an API key cannot.
 */
export function ownAccountRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession];
  const tags = ['auth'];
  const now = () => (deps.now ?? (() => new Date()))();
  const sessionIdOf = (via: Principal['via']) => (via.kind === 'session' ? via.sessionId : null);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sessions',
      tags,
      summary: 'Your open sessions (logins), the most recently used first',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(z.object({ data: z.array(ownSessionSchema) }), 'Sessions'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      return c.json(
        { data: await listOwnSessions(deps.db, principal.userId, sessionIdOf(principal.via), now()) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/sessions/{id}',
      tags,
      summary: 'End one of your sessions (its tokens stop working at once)',
      description: 'Ending the current session is logging out.',
      security: bearerSecurity,
      middleware: guard,
      request: { params: sessionParamsSchema },
      responses: {
        204: { description: 'Ended' },
        ...errorResponses('unauthorized', 'forbidden', 'not_found'),
      },
    }),
    async (c) => {
      await endOwnSession(deps.db, c.var.principal.userId, c.req.valid('param').id, now());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/me',
      tags,
      summary: 'Change your name',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(profileUpdateSchema) },
      responses: {
        200: jsonResponse(userResponseSchema, 'The user'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const blank = (value: string | null | undefined) => (value === undefined ? undefined : value || null);
      const [user] = await deps.db
        .update(users)
        .set({
          ...(body.firstName !== undefined ? { firstName: blank(body.firstName) } : {}),
          ...(body.lastName !== undefined ? { lastName: blank(body.lastName) } : {}),
        })
        .where(eq(users.id, c.var.principal.userId))
        .returning();
      if (!user) throw new ApiError('unauthorized', 'The user no longer exists.');
      return c.json(await userResponse(deps.db, user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/change-password',
      tags,
      summary: 'Change your password with the current one; ends your other sessions',
      description:
        'A wrong current password answers 401 invalid_credentials (this session stays open) and ' +
        'counts as a failed login: attempts are throttled as logins are (429 with Retry-After). ' +
        'Every other session of the account ends, and its outstanding reset links stop working; ' +
        'API keys are not affected.',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(changePasswordSchema) },
      responses: {
        200: jsonResponse(
          z.object({ revokedSessions: z.number().int().describe('Other sessions ended') }),
          'Changed',
        ),
        ...errorResponses('unauthorized', 'forbidden', 'invalid_credentials', 'rate_limited'),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      const sessionId = sessionIdOf(principal.via);
      if (!sessionId) throw new ApiError('forbidden', 'This needs a logged-in user, not an API key.');
      const result = await changePassword(
        deps,
        { userId: principal.userId, email: principal.email, sessionId },
        c.req.valid('json'),
        clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops) ?? 'unknown',
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/delete-account',
      tags,
      summary: 'Delete your own account: your personal data is erased, business records stay',
      description:
        'Proves the password as a login does (401 invalid_credentials when wrong, throttled like ' +
        'logins). Your email, names and password are erased, every session ends with its address and ' +
        'browser erased, your API keys are revoked. The company you worked for and its offers, ' +
        'conversions, invoices and payouts stay, as accounting requires (docs/privacy.md). The last ' +
        'active admin cannot delete their account (409).',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(deleteAccountSchema) },
      responses: {
        204: { description: 'Deleted' },
        ...errorResponses(
          'invalid_request',
          'unauthorized',
          'forbidden',
          'invalid_credentials',
          'conflict',
          'rate_limited',
        ),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      await deleteOwnAccount(
        deps,
        { userId: principal.userId, email: principal.email },
        c.req.valid('json'),
        clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops) ?? 'unknown',
      );
      return c.body(null, 204);
    },
  );
  return app;
}
