import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  loginRequestSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  resendVerificationRequestSchema,
  sessionResponseSchema,
  tokenPairSchema,
  userResponseSchema,
  verificationSentResponseSchema,
  verifyEmailRequestSchema,
} from '../accounts/account-schemas.ts';
import { userResponse } from '../accounts/account-service.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Database } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { newApiRouter } from '../http/api-router.ts';
import { clientIp } from '../http/client-ip.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { AccessTokenKeys } from './access-tokens.ts';
import { revokeUserApiKeys } from './api-key-service.ts';
import { confirmEmailVerification, resendVerification } from './email-verification.ts';
import { login } from './login.ts';
import { confirmPasswordReset, requestPasswordReset } from './password-reset.ts';
import { openSession, revokeSession, revokeUserSessions, rotateRefreshToken } from './session-service.ts';
import { signUp } from './sign-up.ts';

export type AuthRouteDeps = {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  mailer: Mailer;
  publicAppUrl: string;
  trustedIpHeader?: string | undefined;
  /** How many trusted proxies append to that header (default 1): see client-ip.ts. */
  trustedProxyHops?: number | undefined;
  now?: () => Date;
  /** Called with each mail being sent (verification, notice, reset), so tests and shutdown can wait for it. */
  onMailQueued?: (sending: Promise<void>) => void;
};

const tags = ['auth'];

/**
 * /api/v1/auth: sign-up with email verification, login, token refresh, logout, password reset,
 * the current user.
 */
export function authRoutes(deps: AuthRouteDeps) {
  const client = (c: Parameters<typeof clientIp>[0]) => ({
    ip: clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops),
    userAgent: c.req.header('user-agent') ?? null,
  });
  const auth = authenticate(deps);
  const app = newApiRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/register',
      tags,
      summary: 'Sign up as an advertiser or affiliate; the account waits for email verification',
      description:
        'Answers 202 whether or not the address already has an account, so it tells nobody which ' +
        'addresses do. A new address gets an unverified account with its company and an emailed ' +
        'one-time link (24 h) for POST /api/v1/auth/verify-email; an address that has an account ' +
        'gets nothing created and a notice by email. Sign-ups are limited per address and per ' +
        'client address; beyond either limit the answer is the same 202 but nothing is created ' +
        'and nothing is mailed.',
      request: { body: jsonBody(registerRequestSchema) },
      responses: {
        202: jsonResponse(verificationSentResponseSchema, 'Check your email'),
        ...errorResponses('edge_unavailable'),
      },
    }),
    async (c) => {
      const { sending } = await signUp(deps, c.req.valid('json'), client(c).ip ?? 'unknown');
      deps.onMailQueued?.(sending);
      return c.json({ status: 'verification_sent' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/verify-email',
      tags,
      summary: 'Confirm the email address with the emailed token and the password, and log in',
      description:
        'The token works once, for 24 hours; using it voids the other links of the account. The ' +
        'password chosen at sign-up is required too, so that a link mailed after someone else ' +
        'signed the address up logs nobody in: a wrong one answers 401 invalid_credentials, ' +
        'counts as a failed login (429 after too many) and leaves the token usable. Someone who ' +
        'did not sign up takes the account over with a password reset instead.',
      request: { body: jsonBody(verifyEmailRequestSchema) },
      responses: {
        200: jsonResponse(sessionResponseSchema, 'Verified; a session is open'),
        ...errorResponses(
          'invalid_verification_token',
          'invalid_credentials',
          'forbidden',
          'account_suspended',
          'rate_limited',
        ),
      },
    }),
    async (c) => {
      const { token, password } = c.req.valid('json');
      const from = client(c);
      const user = await confirmEmailVerification(deps, token, password, from.ip ?? 'unknown');
      const tokens = await openSession(deps, user, from);
      // A verified link opens a session with the password: a login like any other.
      await recordAudit(deps.db, {
        actor: user.id,
        action: 'login.succeeded',
        subject: { type: 'user', id: user.id },
        ip: from.ip,
        detail: { via: 'email_verification' },
      });
      return c.json({ user: await userResponse(deps.db, user), tokens }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/resend-verification',
      tags,
      summary: 'Email a new verification link',
      description:
        'Answers 202 whether or not the address has an account waiting for verification; only ' +
        'such an account gets a link. Requests are limited per address and per client address ' +
        '(429 with Retry-After), counted alike for every address.',
      request: { body: jsonBody(resendVerificationRequestSchema) },
      responses: {
        202: jsonResponse(
          verificationSentResponseSchema,
          'If the account waits for verification, a link is on its way',
        ),
        ...errorResponses('rate_limited'),
      },
    }),
    async (c) => {
      const { sending } = await resendVerification(
        deps,
        c.req.valid('json').email,
        client(c).ip ?? 'unknown',
      );
      deps.onMailQueued?.(sending);
      return c.json({ status: 'verification_sent' as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags,
      summary: 'Log in with email and password',
      description:
        'Failed attempts slow down further attempts for the same account from the same address ' +
        '(exponential backoff) and from one address across accounts; never for the account everywhere. ' +
        'A right password on an account not verified yet answers 403 email_not_verified, and one of a ' +
        'suspended advertiser or affiliate 403 account_suspended.',
      request: { body: jsonBody(loginRequestSchema) },
      responses: {
        200: jsonResponse(sessionResponseSchema, 'Logged in'),
        ...errorResponses(
          'invalid_credentials',
          'forbidden',
          'email_not_verified',
          'account_suspended',
          'rate_limited',
        ),
      },
    }),
    async (c) => {
      const { user, tokens } = await login(deps, c.req.valid('json'), client(c));
      return c.json({ user: await userResponse(deps.db, user), tokens }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/refresh',
      tags,
      summary: 'Trade a refresh token for a new pair (the old one stops working)',
      description: 'Presenting a refresh token a second time ends its whole session.',
      request: { body: jsonBody(refreshRequestSchema) },
      responses: {
        200: jsonResponse(tokenPairSchema, 'New tokens'),
        ...errorResponses('invalid_token', 'account_suspended'),
      },
    }),
    async (c) => c.json(await rotateRefreshToken(deps, c.req.valid('json').refreshToken), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags,
      summary: 'End this session',
      security: bearerSecurity,
      middleware: [auth, requireSession],
      responses: { 204: { description: 'Session ended' }, ...errorResponses('unauthorized', 'forbidden') },
    }),
    async (c) => {
      const via = c.var.principal.via;
      if (via.kind === 'session') await revokeSession(deps.db, via.sessionId, 'logout');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout-others',
      tags,
      summary: 'End every other session of this user',
      security: bearerSecurity,
      middleware: [auth, requireSession],
      responses: {
        200: jsonResponse(z.object({ revoked: z.number().int() }), 'Number of sessions ended'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      const keep = principal.via.kind === 'session' ? principal.via.sessionId : null;
      return c.json(
        { revoked: await revokeUserSessions(deps.db, principal.userId, keep, 'logout_others') },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout-everywhere',
      tags,
      summary: 'Sign out everywhere: end every session of this user, this one too, and revoke every API key',
      description:
        'For a user who fears a credential leaked: every access and refresh token and every API key ' +
        'of the account stops working at once. Revoked keys stay revoked; make new ones after.',
      security: bearerSecurity,
      middleware: [auth, requireSession],
      responses: {
        200: jsonResponse(
          z.object({
            revokedSessions: z.number().int().describe('Sessions ended, this one included'),
            revokedApiKeys: z.number().int().describe('API keys revoked'),
          }),
          'Signed out everywhere',
        ),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const { principal } = c.var;
      const now = (deps.now ?? (() => new Date()))();
      const result = await deps.db.transaction(async (tx) => {
        const revokedSessions = await revokeUserSessions(
          tx,
          principal.userId,
          null,
          'logout_everywhere',
          now,
        );
        const revokedApiKeys = await revokeUserApiKeys(tx, principal.userId, now);
        await recordAudit(
          tx,
          {
            actor: principal.userId,
            action: 'user.signed_out_everywhere',
            subject: { type: 'user', id: principal.userId },
            ip: client(c).ip,
            detail: { revokedSessions, revokedApiKeys },
          },
          now,
        );
        return { revokedSessions, revokedApiKeys };
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/password-reset',
      tags,
      summary: 'Email a one-time password reset link',
      description:
        'Answers 202 whether or not the address has an account. Requests are limited per address ' +
        'and per client address (429 with Retry-After), counted alike for every address.',
      request: { body: jsonBody(passwordResetRequestSchema) },
      responses: {
        202: { description: 'If the account exists, a link is on its way' },
        ...errorResponses('rate_limited'),
      },
    }),
    async (c) => {
      const { sending } = await requestPasswordReset(
        deps,
        c.req.valid('json').email,
        client(c).ip ?? 'unknown',
      );
      deps.onMailQueued?.(sending);
      return c.body(null, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/password-reset/confirm',
      tags,
      summary: 'Set a new password with the emailed token; ends every session',
      request: { body: jsonBody(passwordResetConfirmSchema) },
      responses: { 204: { description: 'Password changed' }, ...errorResponses('invalid_token') },
    }),
    async (c) => {
      const { token, password } = c.req.valid('json');
      await confirmPasswordReset(deps, token, password, client(c).ip);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags,
      summary: 'The current user',
      security: bearerSecurity,
      middleware: [auth],
      responses: { 200: jsonResponse(userResponseSchema, 'The user'), ...errorResponses('unauthorized') },
    }),
    async (c) => {
      const [user] = await deps.db.select().from(users).where(eq(users.id, c.var.principal.userId));
      if (!user) throw new ApiError('unauthorized', 'The user no longer exists.');
      return c.json(await userResponse(deps.db, user), 200);
    },
  );

  return app;
}
