import { parseDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import {
  AdPlatformError,
  type CampaignClient,
  type PlatformCallContext,
  type PlatformCampaign,
  type SpendDay,
} from '../ad-platform.ts';
import {
  describeMetaError,
  keptMetaResponse,
  meaningOfMetaError,
  metaGraphUrl,
  metaRetryAfterMs,
} from './meta-graph.ts';

/**
 * Meta's Marketing API for an ad account: daily spend per campaign from Insights, the campaign
 * list, and pausing or resuming a campaign. The token goes in an `Authorization: Bearer` header,
 * so it never sits in a URL (Meta's `paging.next` links repeat the query's token).
 */

const PAGE_LIMIT = 500;
// Paging stops here whatever Meta says, so a cursor that never ends cannot hold the sync forever.
const MAX_PAGES = 1_000;

const countSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

export const metaInsightRowSchema = z.object({
  campaign_id: z.string().min(1),
  campaign_name: z.string().default(''),
  // Meta leaves `spend` out of a row with no delivery on some accounts.
  spend: z.string().default('0'),
  impressions: countSchema.default(0),
  clicks: countSchema.default(0),
  account_currency: z.string().regex(/^[A-Za-z]{3}$/),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const metaCampaignRowSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  effective_status: z.string().default(''),
});

const pageSchema = <T extends z.ZodType>(row: T) =>
  z.object({
    data: z.array(row),
    paging: z
      .object({
        cursors: z.object({ after: z.string().optional() }).optional(),
        next: z.string().optional(),
      })
      .optional(),
  });

function accountOf(context: PlatformCallContext): string {
  const accountId = context.connection.accountId?.replace(/^act_/, '');
  if (!accountId)
    throw new AdPlatformError('not_configured', 'The Meta connection has no ad account chosen.');
  return accountId;
}

/** One Graph call; a 2xx body comes back as JSON, anything else is thrown as AdPlatformError. */
async function graphCall(
  context: PlatformCallContext,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string>,
  form?: Record<string, string>,
): Promise<unknown> {
  const token = context.connection.credentials.accessToken;
  const url = new URL(metaGraphUrl(context.endpoints.metaGraphUrl, path));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  let response: Response;
  try {
    response = await context.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    const why =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new AdPlatformError('unavailable', `Meta ${why} (${method} ${path.split('?')[0]}).`, {
      httpStatus: null,
    });
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the error.
  }
  if (response.ok) return body;
  const meaning = meaningOfMetaError(response.status, body);
  throw new AdPlatformError(meaning.kind, describeMetaError(response.status, meaning.error), {
    httpStatus: response.status,
    response: keptMetaResponse(body, token),
    ...(meaning.kind === 'rate_limited' ? { retryAfterMs: metaRetryAfterMs(response.headers) } : {}),
  });
}

/** Every row of a paged Graph edge, following `paging.cursors.after` while `paging.next` says more. */
async function readAllPages<T extends z.ZodType>(
  context: PlatformCallContext,
  path: string,
  query: Record<string, string>,
  row: T,
): Promise<z.infer<T>[]> {
  const schema = pageSchema(row);
  const rows: z.infer<T>[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const body = await graphCall(context, 'GET', path, { ...query, ...(after ? { after } : {}) });
    const page = schema.safeParse(body);
    if (!page.success) {
      throw new AdPlatformError('unavailable', `Meta answered ${path} in an unexpected shape.`, {
        response: keptMetaResponse(body, context.connection.credentials.accessToken),
      });
    }
    rows.push(...page.data.data);
    after = page.data.paging?.cursors?.after;
    if (!page.data.paging?.next || !after) return rows;
  }
  throw new AdPlatformError('unavailable', `Meta kept paging ${path} past ${MAX_PAGES} pages.`);
}

const STATUS: Record<string, PlatformCampaign['status']> = { ACTIVE: 'active', PAUSED: 'paused' };

export const metaCampaignClient: CampaignClient = {
  platform: 'meta',

  /**
   * Daily spend per campaign. Meta's days are the ad account's time zone days, which TAS takes as
   * the UTC day of the same date (Meta offers no UTC breakdown for insights).
   */
  async readSpend(range, context) {
    const rows = await readAllPages(
      context,
      `act_${accountOf(context)}/insights`,
      {
        level: 'campaign',
        fields: 'campaign_id,campaign_name,spend,impressions,clicks,account_currency',
        time_range: JSON.stringify({ since: range.from, until: range.to }),
        time_increment: '1',
        limit: String(PAGE_LIMIT),
      },
      metaInsightRowSchema,
    );
    return rows.map((row): SpendDay => {
      const currency = row.account_currency.toUpperCase();
      const cost = parseDecimalAmount(row.spend, currency);
      if (!cost.ok) {
        throw new AdPlatformError(
          'invalid',
          `Meta's spend "${row.spend}" ${currency} for campaign ${row.campaign_id} on ${row.date_start} is not an amount (${cost.error}).`,
        );
      }
      return {
        platformCampaignId: row.campaign_id,
        campaignName: row.campaign_name,
        day: row.date_start,
        currency,
        costMinor: cost.amountMinor,
        impressions: row.impressions,
        clicks: row.clicks,
      };
    });
  },

  async listCampaigns(context) {
    const rows = await readAllPages(
      context,
      `act_${accountOf(context)}/campaigns`,
      { fields: 'id,name,effective_status', limit: String(PAGE_LIMIT) },
      metaCampaignRowSchema,
    );
    return rows.map((row) => ({
      platformCampaignId: row.id,
      name: row.name,
      status: STATUS[row.effective_status] ?? 'other',
    }));
  },

  async setCampaignStatus(platformCampaignId, status, context) {
    if (!/^\d+$/.test(platformCampaignId)) {
      throw new AdPlatformError('invalid', `"${platformCampaignId}" is not a Meta campaign id.`);
    }
    const body = await graphCall(
      context,
      'POST',
      platformCampaignId,
      {},
      {
        status: status === 'active' ? 'ACTIVE' : 'PAUSED',
      },
    );
    const answer = z.object({ success: z.boolean() }).safeParse(body);
    if (!answer.success || !answer.data.success) {
      throw new AdPlatformError(
        'invalid',
        `Meta did not confirm the status of campaign ${platformCampaignId}.`,
        {
          response: keptMetaResponse(body, context.connection.credentials.accessToken),
        },
      );
    }
  },
};
