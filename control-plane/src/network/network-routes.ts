import { createRoute } from '@hono/zod-openapi';
import { ipRangeTextSchema } from '@tas/shared/ip-match';
import { exchangeRateSchema } from '@tas/shared/money';
import { trackingPrivacySchema } from '@tas/shared/privacy';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AccessTokenKeys } from '../auth/access-tokens.ts';
import type { Database } from '../db/database.ts';
import { networkSettings } from '../db/schema/network-settings.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { networkConfigOf } from '../edge-sync/network-config.ts';
import { newApiRouter } from '../http/api-router.ts';
import { authenticate } from '../http/middleware/authenticate.ts';
import { requireRole } from '../http/middleware/require-role.ts';
import { requireSession } from '../http/middleware/require-session.ts';
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from '../http/openapi-helpers.ts';

export const networkBlocklistsSchema = z
  .object({
    blockedIps: z
      .array(ipRangeTextSchema)
      .max(50_000)
      .describe('Addresses and CIDR ranges refused on every offer'),
    blockedUserAgents: z
      .array(z.string().min(3).max(256))
      .max(5000)
      .describe('Case-insensitive user agent substrings refused on every offer'),
    exchangeRates: z
      .array(exchangeRateSchema)
      .max(1000)
      .refine(
        (rates) => new Set(rates.map((r) => `${r.from}>${r.to}`)).size === rates.length,
        'one rate per pair of currencies',
      )
      .optional()
      .describe(
        "Rates a sale amount in another currency is converted by into its offer's currency at the edge; " +
          'a sale in a currency with no rate to its offer is refused (unsupported_currency). Absent: unchanged',
      ),
    privacy: trackingPrivacySchema
      .optional()
      .describe(
        'ip handling, user agent, consent for the click cookie, EU/EEA/UK visitors in ad-platform forwarding; ' +
          'offers may override each. Absent: unchanged',
      ),
  })
  .meta({ id: 'NetworkBlocklists' });

const responseSchema = networkBlocklistsSchema
  .extend({
    exchangeRates: z.array(exchangeRateSchema),
    privacy: trackingPrivacySchema,
    revision: z.number().int(),
  })
  .meta({ id: 'NetworkSettings' });

/**
 * /api/v1/network-settings: network-wide blocklists and exchange rates, published to the edge
 * whole. Admins only.
 */
export function networkRoutes(deps: {
  db: Database;
  edge: EdgePublisher;
  keys: AccessTokenKeys;
  now?: () => Date;
}) {
  const app = newApiRouter();
  const guard = [authenticate(deps), requireSession, requireRole('admin')];
  const tags = ['network'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Network-wide blocklists, exchange rates and privacy settings',
      security: bearerSecurity,
      middleware: guard,
      responses: {
        200: jsonResponse(responseSchema, 'Settings'),
        ...errorResponses('unauthorized', 'forbidden'),
      },
    }),
    async (c) => c.json(await networkConfigOf(deps.db), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/',
      tags,
      summary:
        'Replace the blocklists, exchange rates and privacy settings (published to the edge in the same transaction)',
      security: bearerSecurity,
      middleware: guard,
      request: { body: jsonBody(networkBlocklistsSchema) },
      responses: {
        200: jsonResponse(responseSchema, 'Settings'),
        ...errorResponses('unauthorized', 'forbidden', 'edge_unavailable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const config = await deps.db.transaction(async (tx) => {
        await tx.update(networkSettings).set({
          blockedIps: [...new Set(body.blockedIps)],
          blockedUserAgents: [...new Set(body.blockedUserAgents)],
          ...(body.exchangeRates ? { exchangeRates: body.exchangeRates } : {}),
          ...(body.privacy ? { privacy: body.privacy } : {}),
          revision: sql`${networkSettings.revision} + 1`,
          updatedAt: new Date(),
        });
        const next = await networkConfigOf(tx);
        await deps.edge.publish({ network: next });
        return next;
      });
      return c.json(config, 200);
    },
  );
  return app;
}
