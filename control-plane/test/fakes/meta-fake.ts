import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { AdPlatformEndpoints } from '../../src/ad-platforms/ad-platform.ts';

/**
 * Meta's Graph API on a local port, for what TAS calls, in Meta's documented shapes. Any version
 * path (`/v21.0/...`) is taken and recorded. The access token is read from the `access_token`
 * query or body field or an `Authorization: Bearer` header.
 *
 * - Conversions API: `POST /{v}/{pixelId}/events` with `{ data, test_event_code?, access_token }`
 *   (JSON, or a form with `data` as JSON text) -> 200 `{ events_received, messages, fbtrace_id }`.
 *   Like Meta, one invalid event refuses the whole batch (400, code 100): a missing or wrong
 *   `event_name`/`event_time`/`action_source`, more than 1,000 events, an event older than 7 days
 *   (subcode 2804003), `em`/`ph`/`country`/`external_id` that are not arrays of 64-hex SHA-256,
 *   `client_ip_address` that is not an IP in clear, `client_user_agent` that looks hashed, an `fbc`
 *   not shaped `fb.1.{ms}.{fbclid}`, and an event id the test named in `rejectEventIds`. Accepted
 *   events are deduplicated like Meta (pixel + event_name + event_id once; `deduped` counts the rest).
 * - Insights: `GET /{v}/act_{id}/insights?level=campaign&fields=..&time_range={"since","until"}
 *   &time_increment=1&limit=..&after=..` -> `{ data: [rows with the asked fields, date_start,
 *   date_stop], paging: { cursors: { before, after }, next? } }`; numbers as strings, like Meta.
 * - Campaigns: `GET /{v}/act_{id}/campaigns?fields=..` paged the same way; `POST /{v}/{campaignId}`
 *   with `status=ACTIVE|PAUSED` (form or JSON) -> `{ success: true }`.
 * - OAuth: `GET /{v}/dialog/oauth` (consents at once: 302 to `redirect_uri?code&state`),
 *   `GET /{v}/oauth/access_token` with the code (a short-lived token) and with
 *   `grant_type=fb_exchange_token` (a long-lived one, then valid for the API).
 *
 * Errors are `{ error: { message, type, code, error_subcode, error_user_title, error_user_msg,
 * is_transient, fbtrace_id } }`; the subcodes the fake uses for shape checks are its own choice.
 */
export type MetaFake = Awaited<ReturnType<typeof startMetaFake>>;

/** The access token every fake starts out accepting. */
export const META_FAKE_TOKEN = 'meta-test-token';

/** Endpoints with Meta's Graph API and dialog on the fake; every other platform on a closed port. */
export function metaFakeEndpoints(url: string): AdPlatformEndpoints {
  const nowhere = 'http://127.0.0.1:9';
  return {
    metaGraphUrl: url,
    metaDialogUrl: url,
    googleDataManagerUrl: nowhere,
    googleAdsUrl: nowhere,
    googleAuthUrl: nowhere,
    googleTokenUrl: nowhere,
    tiktokUrl: nowhere,
    microsoftAdsUrl: nowhere,
    microsoftLoginUrl: nowhere,
  };
}

export type MetaFakeEvent = { pixelId: string; testEventCode: string | null; event: Record<string, unknown> };
export type MetaFakeInsightRow = {
  campaign_id: string;
  campaign_name: string;
  /** YYYY-MM-DD. */
  date_start: string;
  spend: string;
  impressions: number;
  clicks: number;
};
export type MetaFakeCampaign = { id: string; accountId: string; name: string; effective_status: string };
export type MetaFakeRequest = {
  method: string;
  version: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  tokenVia: 'query' | 'body' | 'header' | null;
};

type Failure = { status: number; body: unknown; headers: Record<string, string> };

const ACTION_SOURCES = new Set([
  'email',
  'website',
  'app',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
]);
const HASH = /^[0-9a-f]{64}$/;
const FBC = /^fb\.1\.\d{13}\.\S+$/;
const SEVEN_DAYS_S = 7 * 24 * 3600;

// Meta refuses null values where it expects a field: the path of the first one, if any.
function nullField(value: unknown, path: string): string | null {
  if (value === null) return path;
  if (typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = nullField(inner, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

export async function startMetaFake(options: { appId?: string; appSecret?: string } = {}) {
  const appId = options.appId ?? `${Date.now()}${randomBytes(2).readUInt16BE()}`;
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex');
  const traceId = () => randomBytes(8).toString('base64url');

  const tokens = new Set<string>([META_FAKE_TOKEN]);
  const expired = new Set<string>();
  const shortTokens = new Set<string>();
  const codes = new Map<string, string>(); // code -> redirect_uri it was granted for
  const events: MetaFakeEvent[] = [];
  const seen = new Set<string>();
  const requests: MetaFakeRequest[] = [];
  const insights = new Map<string, { currency: string; rows: MetaFakeInsightRow[] }>();
  const campaigns = new Map<string, MetaFakeCampaign>();
  const refusedEventIds = new Set<string>();
  const failures: Failure[] = [];
  const counters = { deduped: 0 };
  const knobs = {
    /** The most rows a page holds whatever `limit` asks (Meta's own cap varies by endpoint). */
    pageSize: 500,
    longTokenLifetimeSeconds: 5_184_000,
  };
  let base = '';

  const graphError = (
    code: number,
    message: string,
    extra: {
      subcode?: number;
      title?: string;
      userMessage?: string;
      type?: string;
      transient?: boolean;
    } = {},
  ) => ({
    error: {
      message,
      type: extra.type ?? 'OAuthException',
      code,
      ...(extra.subcode === undefined ? {} : { error_subcode: extra.subcode }),
      ...(extra.transient === undefined ? {} : { is_transient: extra.transient }),
      ...(extra.title ? { error_user_title: extra.title } : {}),
      ...(extra.userMessage ? { error_user_msg: extra.userMessage } : {}),
      fbtrace_id: traceId(),
    },
  });
  const invalid = (userMessage: string, subcode = 2804001, title = 'Invalid parameter') =>
    graphError(100, 'Invalid parameter', { subcode, title, userMessage, transient: false });

  /** Why Meta would refuse this event, or null when it takes it. */
  function eventProblem(event: unknown, index: number): ReturnType<typeof invalid> | null {
    if (typeof event !== 'object' || event === null) return invalid(`data[${index}] is not an object`);
    const e = event as Record<string, unknown>;
    if (typeof e.event_name !== 'string' || !e.event_name) {
      return invalid(`The parameter event_name is required (data[${index}])`, 2804002, 'Missing event name');
    }
    if (typeof e.event_time !== 'number' || !Number.isInteger(e.event_time)) {
      return invalid(`The parameter event_time is required (data[${index}])`, 2804002, 'Missing event time');
    }
    if (e.event_time < Date.now() / 1000 - SEVEN_DAYS_S) {
      return invalid(
        'The timestamp for this event is too far in the past. Events need to be sent within 7 days.',
        2804003,
        'Event Timestamp Too Old',
      );
    }
    if (typeof e.action_source !== 'string' || !ACTION_SOURCES.has(e.action_source)) {
      return invalid(
        `The parameter action_source is required (data[${index}])`,
        2804002,
        'Missing action source',
      );
    }
    if (typeof e.event_id === 'string' && refusedEventIds.has(e.event_id)) {
      return invalid(`The event ${e.event_id} is invalid`, 2804050);
    }
    const user = e.user_data;
    if (typeof user !== 'object' || user === null) return invalid(`data[${index}].user_data is required`);
    const u = user as Record<string, unknown>;
    for (const key of ['em', 'ph', 'country', 'external_id']) {
      const value = u[key];
      if (value === undefined) continue;
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !HASH.test(v))) {
        return invalid(
          `user_data.${key} must be SHA-256 hashes (data[${index}])`,
          2804019,
          'Unhashed user data',
        );
      }
    }
    if (
      u.client_ip_address !== undefined &&
      (typeof u.client_ip_address !== 'string' || !isIP(u.client_ip_address))
    ) {
      return invalid(`user_data.client_ip_address must be an IP address in clear (data[${index}])`, 2804020);
    }
    if (
      u.client_user_agent !== undefined &&
      (typeof u.client_user_agent !== 'string' || HASH.test(u.client_user_agent))
    ) {
      return invalid(`user_data.client_user_agent must not be hashed (data[${index}])`, 2804020);
    }
    if (u.fbc !== undefined && (typeof u.fbc !== 'string' || !FBC.test(u.fbc))) {
      return invalid(`user_data.fbc is not fb.1.{creation time}.{fbclid} (data[${index}])`, 2804021);
    }
    const custom = e.custom_data;
    if (custom !== undefined) {
      if (typeof custom !== 'object' || custom === null)
        return invalid(`data[${index}].custom_data is invalid`);
      const c = custom as Record<string, unknown>;
      if (c.value !== undefined && typeof c.value !== 'number')
        return invalid('custom_data.value must be a number');
      if (c.currency !== undefined && (typeof c.currency !== 'string' || !/^[A-Za-z]{3}$/.test(c.currency))) {
        return invalid('custom_data.currency must be an ISO 4217 code');
      }
    }
    const nullAt = nullField(e, `data[${index}]`);
    if (nullAt) return invalid(`${nullAt} is null`);
    return null;
  }

  const cursor = (offset: number) => Buffer.from(String(offset)).toString('base64url');
  const offsetOf = (after: string | undefined) =>
    after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0;

  /** A page of `all`, with Meta's paging object; `next` only while more rows remain. */
  function page(url: URL, query: Record<string, string>, all: Record<string, unknown>[]) {
    const limit = Math.min(Number(query.limit ?? 25) || 25, knobs.pageSize);
    const offset = offsetOf(query.after);
    const data = all.slice(offset, offset + limit);
    if (data.length === 0) return { data };
    const end = offset + data.length;
    const next = new URL(url.pathname + url.search, base);
    next.searchParams.set('after', cursor(end));
    return {
      data,
      paging: {
        cursors: { before: cursor(offset), after: cursor(end) },
        ...(end < all.length ? { next: next.toString() } : {}),
      },
    };
  }

  const pick = (row: Record<string, unknown>, fields: string[]) =>
    Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://graph.fake');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'x-fb-trace-id': traceId(), ...headers })
        .end(JSON.stringify(body));
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);

    let body: Record<string, unknown> = {};
    if (raw) {
      if (req.headers['content-type']?.includes('json')) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
        } catch {
          return json(400, graphError(100, 'Invalid JSON in the request body'));
        }
      } else {
        body = Object.fromEntries(new URLSearchParams(raw));
        if (typeof body.data === 'string') {
          try {
            body.data = JSON.parse(body.data);
          } catch {
            return json(400, invalid('data is not valid JSON'));
          }
        }
      }
    }

    const match = /^\/(v\d+\.\d+)\/(.+)$/.exec(url.pathname);
    if (!match)
      return json(404, graphError(803, 'Unknown path components', { type: 'GraphMethodException' }));
    const [, version = '', path = ''] = match;

    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const [token, tokenVia] =
      typeof body.access_token === 'string'
        ? [body.access_token, 'body' as const]
        : query.access_token
          ? [query.access_token, 'query' as const]
          : bearer
            ? [bearer, 'header' as const]
            : [undefined, null];
    requests.push({ method, version, path, query, body, tokenVia });

    if (method === 'GET' && path === 'dialog/oauth') {
      if (query.client_id !== appId) return json(400, graphError(100, 'Invalid App ID'));
      if (query.response_type !== 'code' || !query.redirect_uri) {
        return json(400, graphError(100, 'Missing redirect_uri or response_type=code'));
      }
      const code = grantCode(query.redirect_uri);
      const to = new URL(query.redirect_uri);
      to.searchParams.set('code', code);
      if (query.state) to.searchParams.set('state', query.state);
      return res.writeHead(302, { location: to.toString() }).end();
    }

    const failure = failures.shift();
    if (failure) return json(failure.status, failure.body, failure.headers);

    if (method === 'GET' && path === 'oauth/access_token') {
      if (query.client_id !== appId)
        return json(400, graphError(101, 'Error validating application. Invalid application ID.'));
      if (query.client_secret !== appSecret)
        return json(400, graphError(1, 'Error validating client secret.'));
      if (query.grant_type === 'fb_exchange_token') {
        const short = query.fb_exchange_token ?? '';
        if (!shortTokens.has(short) && !tokens.has(short)) {
          return json(400, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
        }
        const long = `EAAL${randomBytes(24).toString('base64url')}`;
        tokens.add(long);
        return json(200, {
          access_token: long,
          token_type: 'bearer',
          expires_in: knobs.longTokenLifetimeSeconds,
        });
      }
      const code = query.code ?? '';
      const grantedFor = codes.get(code);
      if (grantedFor === undefined)
        return json(400, graphError(100, 'Invalid verification code format.', { subcode: 36007 }));
      if (grantedFor !== query.redirect_uri) {
        return json(
          400,
          graphError(
            100,
            'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
            { subcode: 36008 },
          ),
        );
      }
      codes.delete(code);
      const short = `EAAS${randomBytes(24).toString('base64url')}`;
      shortTokens.add(short);
      return json(200, { access_token: short, token_type: 'bearer', expires_in: 5_400 });
    }

    if (!token) return json(400, graphError(104, 'An access token is required to request this resource.'));
    if (expired.has(token)) {
      return json(
        400,
        graphError(190, 'Error validating access token: Session has expired.', { subcode: 463 }),
      );
    }
    if (!tokens.has(token)) {
      return json(400, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
    }

    const eventsPath = /^(\d+)\/events$/.exec(path);
    if (method === 'POST' && eventsPath) {
      const pixelId = eventsPath[1] ?? '';
      const data = body.data;
      if (!Array.isArray(data) || data.length === 0)
        return json(400, invalid('The parameter data is required'));
      if (data.length > 1_000) return json(400, invalid('A batch holds at most 1,000 events', 2804004));
      for (const [index, event] of data.entries()) {
        const problem = eventProblem(event, index);
        if (problem) return json(400, problem);
      }
      const testEventCode = typeof body.test_event_code === 'string' ? body.test_event_code : null;
      for (const event of data as Record<string, unknown>[]) {
        const key = `${pixelId}|${String(event.event_name)}|${String(event.event_id ?? randomBytes(8).toString('hex'))}`;
        if (seen.has(key)) {
          counters.deduped++;
          continue;
        }
        seen.add(key);
        events.push({ pixelId, testEventCode, event });
      }
      return json(200, { events_received: data.length, messages: [], fbtrace_id: traceId() });
    }

    const accountPath = /^act_(\d+)\/(insights|campaigns)$/.exec(path);
    if (method === 'GET' && accountPath) {
      const [, accountId = '', edge] = accountPath;
      const known = insights.has(accountId) || [...campaigns.values()].some((c) => c.accountId === accountId);
      if (!known) {
        return json(
          400,
          graphError(
            100,
            `Unsupported get request. Object with ID 'act_${accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            { subcode: 33, type: 'GraphMethodException' },
          ),
        );
      }
      const fields = (query.fields ?? '').split(',').filter(Boolean);
      if (edge === 'campaigns') {
        const rows = [...campaigns.values()]
          .filter((c) => c.accountId === accountId)
          .map((c) =>
            pick({ id: c.id, name: c.name, effective_status: c.effective_status }, ['id', ...fields]),
          );
        return json(200, page(url, query, rows));
      }
      if (query.level !== 'campaign') return json(400, invalid('level must be campaign for this fake'));
      if (query.time_increment !== '1') return json(400, invalid('time_increment must be 1 for this fake'));
      let range: { since?: unknown; until?: unknown };
      try {
        range = JSON.parse(query.time_range ?? '');
      } catch {
        return json(400, invalid('time_range must be JSON {"since","until"}'));
      }
      const day = /^\d{4}-\d{2}-\d{2}$/;
      if (
        typeof range.since !== 'string' ||
        typeof range.until !== 'string' ||
        !day.test(range.since) ||
        !day.test(range.until)
      ) {
        return json(400, invalid('time_range must be JSON {"since","until"} with YYYY-MM-DD days'));
      }
      const { since, until } = range as { since: string; until: string };
      const account = insights.get(accountId) ?? { currency: 'USD', rows: [] };
      const rows = account.rows
        .filter((row) => row.date_start >= since && row.date_start <= until)
        .sort(
          (a, b) => a.date_start.localeCompare(b.date_start) || a.campaign_id.localeCompare(b.campaign_id),
        )
        .map((row) => ({
          ...pick(
            {
              campaign_id: row.campaign_id,
              campaign_name: row.campaign_name,
              spend: row.spend,
              impressions: String(row.impressions),
              clicks: String(row.clicks),
              account_currency: account.currency,
            },
            fields,
          ),
          date_start: row.date_start,
          date_stop: row.date_start,
        }));
      return json(200, page(url, query, rows));
    }

    const objectPath = /^(\d+)$/.exec(path);
    if (method === 'POST' && objectPath) {
      const campaign = campaigns.get(objectPath[1] ?? '');
      if (!campaign) {
        return json(
          400,
          graphError(
            100,
            `Unsupported post request. Object with ID '${objectPath[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            { subcode: 33, type: 'GraphMethodException' },
          ),
        );
      }
      if (body.status !== 'ACTIVE' && body.status !== 'PAUSED') {
        return json(400, invalid('status must be one of ACTIVE, PAUSED, DELETED, ARCHIVED', 1815001));
      }
      campaign.effective_status = body.status;
      return json(200, { success: true });
    }

    return json(
      400,
      graphError(100, `Unsupported ${method.toLowerCase()} request.`, {
        subcode: 33,
        type: 'GraphMethodException',
      }),
    );
  }

  /** A code as the OAuth dialog gives after the advertiser consents, for `redirectUri`. */
  function grantCode(redirectUri: string): string {
    const code = `AQ${randomBytes(24).toString('base64url')}`;
    codes.set(code, redirectUri);
    return code;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;

  return {
    url: base,
    appId,
    appSecret,
    /** Every event Meta took (after dedupe), with its pixel and test_event_code. */
    events,
    /** Every request, in order, with its version, query, body and where its token came from. */
    requests,
    /** Access tokens the API accepts; tests may add their own. */
    tokens,
    /** Campaigns by id; `effective_status` changes with `POST /{campaignId}`. */
    campaigns,
    knobs,
    /** Events dropped as duplicates (same pixel, event_name and event_id as one taken before). */
    get deduped() {
      return counters.deduped;
    },
    grantCode,
    /** From now on a batch holding an event with one of these ids is refused whole (code 100). */
    rejectEventIds(ids: Iterable<string>) {
      for (const id of ids) refusedEventIds.add(id);
    },
    /** The token now answers code 190 / 463 (session expired). */
    expireToken(token: string) {
      expired.add(token);
    },
    /**
     * The next `count` Graph requests answer 400 with a rate-limit code (17 by default; 80004 for
     * ads management); `regainAccessMinutes` adds `x-business-use-case-usage` with Meta's estimate.
     */
    rateLimitNext(count: number, options: { code?: number; regainAccessMinutes?: number } = {}) {
      const code = options.code ?? 17;
      const headers: Record<string, string> =
        options.regainAccessMinutes === undefined
          ? {}
          : {
              'x-business-use-case-usage': JSON.stringify({
                '1234567890': [
                  {
                    type: 'ads_management',
                    call_count: 100,
                    total_cputime: 30,
                    total_time: 40,
                    estimated_time_to_regain_access: options.regainAccessMinutes,
                  },
                ],
              }),
            };
      for (let i = 0; i < count; i++) {
        failures.push({
          status: 400,
          body: graphError(
            code,
            code === 17 ? 'User request limit reached' : 'There have been too many calls',
            {
              transient: true,
            },
          ),
          headers,
        });
      }
    },
    /** The next `count` Graph requests answer `status` with Meta's transient error (code 2). */
    failNext(count: number, status = 500) {
      for (let i = 0; i < count; i++) {
        failures.push({
          status,
          body: graphError(2, 'An unexpected error has occurred. Please retry your request later.', {
            transient: true,
          }),
          headers: {},
        });
      }
    },
    /** The insights rows of an ad account (digits, without act_), in its currency. */
    setInsights(accountId: string, rows: MetaFakeInsightRow[], currency = 'USD') {
      insights.set(accountId, { currency, rows });
    },
    /** Replaces the campaigns of an ad account. */
    setCampaigns(accountId: string, list: Omit<MetaFakeCampaign, 'accountId'>[]) {
      for (const [id, campaign] of campaigns) if (campaign.accountId === accountId) campaigns.delete(id);
      for (const campaign of list) campaigns.set(campaign.id, { ...campaign, accountId });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
