import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * TikTok's Business API on a local port, for what TAS calls, in TikTok's documented shapes. Every
 * answer is HTTP 200 with `{ code, message, request_id, data }` (code 0: success), as TikTok
 * does; only an injected outage answers HTTP 500.
 *
 * - `POST /open_api/v1.3/event/track/` (Events API 2.0, `Access-Token` header): `{ event_source:
 *   'web', event_source_id, test_event_code?, data: [...] }`. A batch holding a refused event is
 *   refused whole with 40001, nothing recorded; accepted events are kept per pixel, deduplicated
 *   by `event_id` as TikTok does.
 * - `GET /open_api/v1.3/report/integrated/get/`: BASIC report, AUCTION_CAMPAIGN level, by
 *   campaign_id and stat_time_day, at most 30 days a request (40002 beyond, as TikTok), paged.
 * - `GET /open_api/v1.3/campaign/get/` (paged) and `POST /open_api/v1.3/campaign/status/update/`.
 * - `POST /open_api/v1.3/oauth2/access_token/` `{ app_id, secret, auth_code }` -> a long-term
 *   token and the advertiser ids it reaches.
 *
 * Codes: 40100 too many requests, 40102 token expired, 40104 token missing, 40105 token invalid,
 * 40001/40002 parameter errors, 40101 wrong app id or secret, 40110 auth code invalid, 50000 system error.
 */
export type TikTokFake = Awaited<ReturnType<typeof startTikTokFake>>;

export const TIKTOK_FAKE_ACCESS_TOKEN = 'tiktok-fake-access-token';
export const TIKTOK_FAKE_APP_ID = '7100000000000000001';
export const TIKTOK_FAKE_SECRET = 'tiktok-fake-app-secret';
export const TIKTOK_FAKE_ADVERTISER_ID = '7200000000000000001';
export const TIKTOK_FAKE_PIXEL_CODE = 'CFAKEPIXEL0000000001';

const API = '/open_api/v1.3';
const MAX_EVENTS = 1_000;
const MAX_REPORT_DAYS = 30;

export type TikTokRecordedEvent = {
  pixelCode: string;
  testEventCode: string | null;
  event: Record<string, unknown>;
};
export type TikTokSpendRow = {
  advertiserId?: string;
  campaignId: string;
  campaignName: string;
  /** YYYY-MM-DD. */
  day: string;
  /** Decimal, as TikTok answers it ("12.34"). */
  spend: string;
  impressions: number;
  clicks: number;
  currency: string;
};
export type TikTokCampaign = {
  advertiserId?: string;
  campaignId: string;
  campaignName: string;
  operationStatus: 'ENABLE' | 'DISABLE';
};

export async function startTikTokFake() {
  const tokens = new Set([TIKTOK_FAKE_ACCESS_TOKEN]);
  const expiredTokens = new Set<string>();
  const pixels = new Set([TIKTOK_FAKE_PIXEL_CODE]);
  const events = new Map<string, TikTokRecordedEvent>();
  const refusedEventIds = new Set<string>();
  const spendRows: TikTokSpendRow[] = [];
  const campaigns = new Map<string, TikTokCampaign>();
  const authCodes = new Map<string, string[]>();
  const requests: {
    method: string;
    path: string;
    query: Record<string, string>;
    accessToken: string | undefined;
    body: unknown;
  }[] = [];
  const knobs = { rateLimited: 0, failures: [] as ('http_500' | 'code_50000')[] };

  const requestId = () => randomBytes(12).toString('hex').toUpperCase();
  const envelope = (code: number, message: string, data: unknown = {}) => ({
    code,
    message,
    request_id: requestId(),
    data,
  });

  function tokenError(token: string | undefined) {
    if (!token) return envelope(40104, 'Access token is null, please specify the access token.');
    if (expiredTokens.has(token)) return envelope(40102, 'Access token has expired.');
    if (!tokens.has(token)) return envelope(40105, 'Access token is incorrect or has been revoked.');
    return null;
  }

  function trackEvents(body: Record<string, unknown>) {
    if (body.event_source !== 'web')
      return envelope(40002, 'event_source: must be one of web, app, offline, crm.');
    const pixelCode = body.event_source_id;
    if (typeof pixelCode !== 'string' || !pixels.has(pixelCode))
      return envelope(40001, 'event_source_id: pixel not found or no permission.');
    const data = body.data;
    if (!Array.isArray(data) || data.length === 0) return envelope(40002, 'data: field is required.');
    if (data.length > MAX_EVENTS) return envelope(40002, `data: at most ${MAX_EVENTS} events per request.`);
    for (const [i, event] of data.entries()) {
      const e = event as Record<string, unknown> | null;
      if (typeof e?.event !== 'string' || e.event === '')
        return envelope(40002, `data[${i}].event: field is required.`);
      if (typeof e.event_time !== 'number' || !Number.isInteger(e.event_time))
        return envelope(40002, `data[${i}].event_time: must be a unix timestamp in seconds.`);
      if (typeof e.event_id !== 'string') return envelope(40002, `data[${i}].event_id: must be a string.`);
      if (typeof e.user !== 'object' || e.user === null)
        return envelope(40002, `data[${i}].user: field is required.`);
      if (refusedEventIds.has(e.event_id))
        return envelope(40001, 'Invalid parameters: please check the event data.');
    }
    const testEventCode = typeof body.test_event_code === 'string' ? body.test_event_code : null;
    for (const event of data as Record<string, unknown>[]) {
      const key = `${pixelCode}\n${String(event.event_id)}`;
      if (!events.has(key)) events.set(key, { pixelCode, testEventCode, event });
    }
    return envelope(0, 'OK');
  }

  function report(query: URLSearchParams) {
    const advertiserId = query.get('advertiser_id');
    if (!advertiserId) return envelope(40002, 'advertiser_id: field is required.');
    if (query.get('report_type') !== 'BASIC') return envelope(40002, 'report_type: only BASIC here.');
    if (query.get('data_level') !== 'AUCTION_CAMPAIGN')
      return envelope(40002, 'data_level: only AUCTION_CAMPAIGN here.');
    let dimensions: unknown;
    let metrics: unknown;
    try {
      dimensions = JSON.parse(query.get('dimensions') ?? 'null');
      metrics = JSON.parse(query.get('metrics') ?? 'null');
    } catch {
      return envelope(40002, 'dimensions, metrics: must be JSON arrays.');
    }
    if (JSON.stringify(dimensions) !== JSON.stringify(['campaign_id', 'stat_time_day']))
      return envelope(40002, 'dimensions: only ["campaign_id","stat_time_day"] here.');
    if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string'))
      return envelope(40002, 'metrics: must be a JSON array of names.');
    const start = query.get('start_date') ?? '';
    const end = query.get('end_date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end) || start > end)
      return envelope(40002, 'start_date, end_date: YYYY-MM-DD, start not after end.');
    const days = (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1;
    if (days > MAX_REPORT_DAYS)
      return envelope(40002, `The time span cannot exceed ${MAX_REPORT_DAYS} days.`);
    const page = Number(query.get('page') ?? 1);
    const pageSize = Number(query.get('page_size') ?? 10);
    if (pageSize > 1000) return envelope(40002, 'page_size: at most 1000.');
    const rows = spendRows.filter(
      (r) => (r.advertiserId ?? TIKTOK_FAKE_ADVERTISER_ID) === advertiserId && r.day >= start && r.day <= end,
    );
    const list = rows.slice((page - 1) * pageSize, page * pageSize).map((r) => {
      const values: Record<string, string> = {
        spend: r.spend,
        impressions: String(r.impressions),
        clicks: String(r.clicks),
        currency: r.currency,
        campaign_name: r.campaignName,
      };
      return {
        dimensions: { campaign_id: r.campaignId, stat_time_day: `${r.day} 00:00:00` },
        // TikTok answers '-' for a metric it has no value for.
        metrics: Object.fromEntries((metrics as string[]).map((m) => [m, values[m] ?? '-'])),
      };
    });
    return envelope(0, 'OK', {
      list,
      page_info: {
        page,
        page_size: pageSize,
        total_number: rows.length,
        total_page: Math.ceil(rows.length / pageSize),
      },
    });
  }

  function listCampaigns(query: URLSearchParams) {
    const advertiserId = query.get('advertiser_id');
    if (!advertiserId) return envelope(40002, 'advertiser_id: field is required.');
    const page = Number(query.get('page') ?? 1);
    const pageSize = Number(query.get('page_size') ?? 10);
    if (pageSize > 1000) return envelope(40002, 'page_size: at most 1000.');
    const mine = [...campaigns.values()].filter(
      (c) => (c.advertiserId ?? TIKTOK_FAKE_ADVERTISER_ID) === advertiserId,
    );
    return envelope(0, 'OK', {
      list: mine.slice((page - 1) * pageSize, page * pageSize).map((c) => ({
        advertiser_id: advertiserId,
        campaign_id: c.campaignId,
        campaign_name: c.campaignName,
        operation_status: c.operationStatus,
        secondary_status:
          c.operationStatus === 'ENABLE' ? 'CAMPAIGN_STATUS_ENABLE' : 'CAMPAIGN_STATUS_DISABLE',
        objective_type: 'WEB_CONVERSIONS',
      })),
      page_info: {
        page,
        page_size: pageSize,
        total_number: mine.length,
        total_page: Math.ceil(mine.length / pageSize),
      },
    });
  }

  function updateStatus(body: Record<string, unknown>) {
    const ids = body.campaign_ids;
    const status = body.operation_status;
    if (typeof body.advertiser_id !== 'string') return envelope(40002, 'advertiser_id: field is required.');
    if (!Array.isArray(ids) || ids.length === 0) return envelope(40002, 'campaign_ids: field is required.');
    if (status !== 'ENABLE' && status !== 'DISABLE' && status !== 'DELETE')
      return envelope(40002, 'operation_status: one of ENABLE, DISABLE, DELETE.');
    for (const id of ids) {
      const campaign = campaigns.get(String(id));
      if (!campaign || (campaign.advertiserId ?? TIKTOK_FAKE_ADVERTISER_ID) !== body.advertiser_id)
        return envelope(40002, `campaign_ids: campaign ${String(id)} does not exist.`);
    }
    for (const id of ids) {
      const campaign = campaigns.get(String(id));
      if (campaign && status !== 'DELETE') campaign.operationStatus = status;
      if (status === 'DELETE') campaigns.delete(String(id));
    }
    return envelope(0, 'OK', { campaign_ids: ids.map(String) });
  }

  function accessToken(body: Record<string, unknown>) {
    if (body.app_id !== TIKTOK_FAKE_APP_ID || body.secret !== TIKTOK_FAKE_SECRET)
      return envelope(40101, 'The app_id or secret is invalid.');
    const advertiserIds = typeof body.auth_code === 'string' ? authCodes.get(body.auth_code) : undefined;
    if (!advertiserIds) return envelope(40110, 'Auth code is invalid or has expired.');
    authCodes.delete(String(body.auth_code));
    const token = `tiktok-fake-${randomBytes(16).toString('hex')}`;
    tokens.add(token);
    return envelope(0, 'OK', { access_token: token, advertiser_ids: advertiserIds, scope: [4, 5, 7] });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://tiktok.fake');
    const answer = (body: unknown, status = 200) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const header = req.headers['access-token'];
    const token = Array.isArray(header) ? header[0] : header;
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return answer(envelope(40002, 'The request body is not valid JSON.'));
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      accessToken: token,
      body: raw ? body : null,
    });

    const failure = knobs.failures.shift();
    if (failure === 'http_500') return answer({ message: 'Internal Server Error' }, 500);
    if (failure === 'code_50000') return answer(envelope(50000, 'System error, please try again later.'));
    if (knobs.rateLimited > 0) {
      knobs.rateLimited -= 1;
      return answer(envelope(40100, 'Too many requests. Please retry in some time.'));
    }

    const route = `${req.method} ${url.pathname}`;
    if (route === `POST ${API}/oauth2/access_token/`) return answer(accessToken(body));
    const refused = tokenError(token);
    if (route === `POST ${API}/event/track/`) return answer(refused ?? trackEvents(body));
    if (route === `GET ${API}/report/integrated/get/`) return answer(refused ?? report(url.searchParams));
    if (route === `GET ${API}/campaign/get/`) return answer(refused ?? listCampaigns(url.searchParams));
    if (route === `POST ${API}/campaign/status/update/`) return answer(refused ?? updateStatus(body));
    return answer({ message: `No ${route} in the TikTok fake.` }, 404);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url: base,
    requests,
    /** Events accepted, once each per pixel and event_id, in the order first received. */
    events(pixelCode = TIKTOK_FAKE_PIXEL_CODE) {
      return [...events.values()].filter((e) => e.pixelCode === pixelCode);
    },
    addPixel(pixelCode: string) {
      pixels.add(pixelCode);
    },
    /** Any batch holding this event_id is refused whole with 40001, as TikTok does for a bad event. */
    refuseEvent(eventId: string) {
      refusedEventIds.add(eventId);
    },
    /** The token now answers 40102 (expired). */
    expireToken(token = TIKTOK_FAKE_ACCESS_TOKEN) {
      expiredTokens.add(token);
    },
    /** The next `count` requests answer 40100 (too many requests). */
    rateLimitNext(count: number) {
      knobs.rateLimited += count;
    },
    /** The next `count` requests fail: HTTP 500, or HTTP 200 with code 50000 (system error). */
    failNext(count: number, how: 'http_500' | 'code_50000' = 'http_500') {
      for (let i = 0; i < count; i++) knobs.failures.push(how);
    },
    addSpendRow(row: TikTokSpendRow) {
      spendRows.push(row);
    },
    addCampaign(campaign: TikTokCampaign) {
      campaigns.set(campaign.campaignId, { ...campaign });
    },
    campaign(campaignId: string) {
      return campaigns.get(campaignId);
    },
    /** An auth code the advertiser would bring back from TikTok's consent page. */
    issueAuthCode(advertiserIds: string[] = [TIKTOK_FAKE_ADVERTISER_ID]) {
      const code = randomBytes(20).toString('hex');
      authCodes.set(code, advertiserIds);
      return code;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
