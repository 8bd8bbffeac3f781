import { createRoute } from '@hono/zod-openapi';
import { desc, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { dataSubjectRequests } from '../db/schema/data-subject-requests.ts';
import { newApiRouter } from '../http/api-router.ts';
import { clientIp } from '../http/client-ip.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';
import { dataSubjectSchema } from './data-subject.ts';
import { eraseSubject, exportSubject } from './subject-requests.ts';

const subjectRequestSchema = z
  .object({
    subject: dataSubjectSchema,
    note: z
      .string()
      .trim()
      .max(500)
      .nullable()
      .optional()
      .describe('Why: a ticket number, how the person asked'),
  })
  .meta({ id: 'DataSubjectRequest' });

const rowsSchema = z.array(z.record(z.string(), z.unknown()));

const exportResponseSchema = z
  .object({
    subject: z.object({ type: z.enum(['email', 'click_id', 'txid', 'ip']) }),
    generatedAt: z.iso.datetime(),
    truncated: z
      .boolean()
      .describe('A table had more than 10,000 rows for the subject: only the first are here'),
    clicks: rowsSchema,
    conversions: rowsSchema,
    postbackAttempts: rowsSchema,
    adPlatformDeliveries: rowsSchema,
    quarantinedEvents: rowsSchema,
    account: z
      .object({ user: z.record(z.string(), z.unknown()), sessions: rowsSchema, apiKeys: rowsSchema })
      .nullable()
      .describe("The TAS account whose login is the subject's email, if any (never its password hash)"),
    request: z.object({ id: z.uuid() }),
  })
  .meta({ id: 'DataSubjectExport' });

const erasureResponseSchema = z
  .object({
    clicks: z.number().int().describe('Clicks whose ip, user agent, referrer and ad click ids were erased'),
    conversions: z
      .number()
      .int()
      .describe('Conversions whose ip, user agent and customer hashes were erased'),
    postbackAttempts: z.number().int().describe("Postback attempts cut to the endpoint's address"),
    quarantinedEvents: z.number().int().describe('Quarantined events deleted'),
    accounts: z.number().int().describe('TAS accounts erased (the email was a login)'),
    request: z.object({ id: z.uuid() }),
  })
  .meta({ id: 'DataSubjectErasure' });

const logEntrySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['export', 'erase']),
    subjectType: z.string(),
    subjectDigest: z.string().describe('SHA-256 of type:value (the log does not keep the subject)'),
    requestedBy: z.uuid().nullable(),
    note: z.string().nullable(),
    counts: z.record(z.string(), z.number()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'DataSubjectRequestLogEntry' });

const listQuerySchema = z.object({
  before: z.iso.datetime().optional().describe('Entries made before this time (the last page’s oldest)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * /api/v1/privacy: data subject requests (GDPR articles 15 and 17), for admins in a session:
 * export everything held about a person, erase it, and the log of both. docs/privacy.md.
 */
export function privacyRoutes(deps: {
  db: Database;
  keys: AccessTokenKeys;
  trustedIpHeader?: string | undefined;
  trustedProxyHops?: number | undefined;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession, requireRole('admin')];
  const tags = ['privacy'];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/exports',
      tags,
      summary: 'Everything held about a person, as JSON (right of access)',
      description:
        'Finds the subject by email (the hashes the edge made of what advertisers sent, and a TAS ' +
        'login), click id, order id (txid) or ip, with the clicks and conversions tied to them. ' +
        'Logged without the subject. An ip is looked for in every raw click: slow on large installs.',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(subjectRequestSchema) },
      responses: {
        200: jsonResponse(exportResponseSchema, 'The export'),
        ...errorResponses('invalid_request', 'unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await exportSubject(deps.db, body.subject, {
        principal: c.var.principal,
        note: body.note ?? null,
        ip: clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops),
      });
      return c.json(JSON.parse(JSON.stringify(result)) as z.infer<typeof exportResponseSchema>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/erasures',
      tags,
      summary: "Erase a person's personal data everywhere, keeping counts and money (right to erasure)",
      description:
        'Sets to null the ip, user agent, referrer and ad-platform click ids of their clicks and the ' +
        'ip, user agent and customer hashes of their conversions; cuts the postback attempts for ' +
        "those conversions to the endpoint's address; deletes quarantined events naming them; erases " +
        'the TAS account whose login is the email. One transaction, logged without the subject. ' +
        'Backups keep what they hold until they expire: docs/privacy.md.',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(subjectRequestSchema) },
      responses: {
        200: jsonResponse(erasureResponseSchema, 'What was erased'),
        ...errorResponses('invalid_request', 'unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await eraseSubject(deps.db, body.subject, {
        principal: c.var.principal,
        note: body.note ?? null,
        ip: clientIp(c, deps.trustedIpHeader, deps.trustedProxyHops),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/requests',
      tags,
      summary: 'The log of data subject requests, newest first',
      security: bearerSecurity,
      middleware: guard,
      request: { query: listQuerySchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(logEntrySchema) }), 'Entries'),
        ...errorResponses('invalid_request', 'unauthorized', 'forbidden'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await deps.db
        .select()
        .from(dataSubjectRequests)
        .where(query.before ? lt(dataSubjectRequests.createdAt, new Date(query.before)) : undefined)
        .orderBy(desc(dataSubjectRequests.createdAt))
        .limit(query.limit);
      return c.json(
        {
          data: rows.map((r) => ({
            ...r,
            kind: r.kind,
            createdAt: r.createdAt.toISOString(),
          })),
        },
        200,
      );
    },
  );
  return app;
}
