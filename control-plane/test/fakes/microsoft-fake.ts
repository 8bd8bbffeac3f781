import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Microsoft Advertising's Campaign Management REST service (v13) and the Microsoft identity
 * platform's token endpoint on one local port, for what TAS calls, in their documented shapes:
 *
 * - `POST /CampaignManagement/v13/OfflineConversions/Apply` `{ OfflineConversions: [...] }` and
 *   `POST .../OfflineConversionAdjustments/Apply` `{ OfflineConversionAdjustments: [...] }` ->
 *   200 `{ PartialErrors: [BatchError] | null }`, an item refused by its `Index`. Accepted
 *   conversions are kept once per goal, click id and conversion time (Microsoft ignores repeats);
 *   a Retract marks the conversion it names retracted.
 * - `POST .../Campaigns/QueryByAccountId` `{ AccountId, CampaignType }` -> `{ Campaigns }`, and
 *   `PUT .../Campaigns` `{ AccountId, Campaigns: [{ Id, Status }] }` -> `{ PartialErrors }`.
 * - `POST /common/oauth2/v2.0/token` (form: authorization_code or refresh_token) -> `{ token_type,
 *   scope, expires_in, access_token, refresh_token }`; 400 `{ error: 'invalid_grant', ... }`.
 *
 * Every service call needs `Authorization: Bearer`, `DeveloperToken`, `CustomerId` and
 * `CustomerAccountId`. Failures: 401 AdApiFaultDetail `Errors` 105 InvalidCredentials / 109
 * AuthenticationTokenExpired; 106 UserIsNotAuthorized for an account the user cannot reach;
 * ApiFaultDetail `OperationErrors` 117 CallRateExceeded (Microsoft does not document the HTTP
 * status of that one; the fake answers 400, so a client must read the code); 500 with code 0
 * InternalError. The numeric codes of the offline conversion batch errors are the fake's own;
 * their ErrorCode names are Microsoft's.
 */
export type MicrosoftFake = Awaited<ReturnType<typeof startMicrosoftFake>>;

export const MICROSOFT_FAKE_ACCESS_TOKEN = 'microsoft-fake-access-token';
export const MICROSOFT_FAKE_REFRESH_TOKEN = 'microsoft-fake-refresh-token';
export const MICROSOFT_FAKE_DEVELOPER_TOKEN = 'MSFAKEDEVTOKEN1';
export const MICROSOFT_FAKE_CLIENT_ID = '00000000-0000-4000-8000-00000000fa4e';
export const MICROSOFT_FAKE_CLIENT_SECRET = 'microsoft-fake-client-secret';
export const MICROSOFT_FAKE_CUSTOMER_ID = '251000001';
export const MICROSOFT_FAKE_ACCOUNT_ID = '180000001';
export const MICROSOFT_FAKE_CONVERSION_NAME = 'TAS Purchase';

const SERVICE = '/CampaignManagement/v13';
const MAX_ITEMS = 1_000;

export type MicrosoftRecordedConversion = {
  accountId: string;
  conversion: Record<string, unknown>;
  retracted: boolean;
};
export type MicrosoftCampaign = {
  id: number;
  name: string;
  status: 'Active' | 'Paused' | 'BudgetPaused' | 'BudgetAndManualPaused' | 'Deleted' | 'Suspended';
  accountId?: string;
};

export async function startMicrosoftFake() {
  const accessTokens = new Set([MICROSOFT_FAKE_ACCESS_TOKEN]);
  const expiredTokens = new Set<string>();
  const refreshTokens = new Set([MICROSOFT_FAKE_REFRESH_TOKEN]);
  const authCodes = new Map<string, string>();
  const goals = new Set([MICROSOFT_FAKE_CONVERSION_NAME]);
  const conversions = new Map<string, MicrosoftRecordedConversion>();
  const refusedClickIds = new Set<string>();
  const campaigns = new Map<number, MicrosoftCampaign>();
  const requests: {
    method: string;
    path: string;
    headers: Record<string, string | undefined>;
    body: unknown;
  }[] = [];
  const knobs = { rateLimited: 0, failures: 0 };

  const trackingId = () => randomUUID();
  const adApiFault = (code: number, errorCode: string, message: string) => ({
    TrackingId: trackingId(),
    Type: 'AdApiFaultDetail',
    Errors: [{ Code: code, Detail: null, ErrorCode: errorCode, Message: message, Type: 'AdApiError' }],
  });
  const apiFault = (code: number, errorCode: string, message: string) => ({
    TrackingId: trackingId(),
    Type: 'ApiFaultDetail',
    BatchErrors: [],
    OperationErrors: [
      { Code: code, Details: null, ErrorCode: errorCode, Message: message, Type: 'OperationError' },
    ],
  });
  const batchError = (
    index: number,
    code: number,
    errorCode: string,
    message: string,
    fieldPath: string,
  ) => ({
    Code: code,
    Details: null,
    ErrorCode: errorCode,
    FieldPath: fieldPath,
    ForwardCompatibilityMap: null,
    Index: index,
    Message: message,
    Type: 'BatchError',
  });
  const conversionKey = (accountId: string, c: Record<string, unknown>) =>
    `${accountId}\n${String(c.ConversionName)}\n${String(c.MicrosoftClickId)}\n${Date.parse(String(c.ConversionTime))}`;

  function authFailure(headers: IncomingMessage['headers']): [number, unknown] | null {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (bearer && expiredTokens.has(bearer))
      return [
        401,
        adApiFault(109, 'AuthenticationTokenExpired', 'Authentication token expired. Please renew it.'),
      ];
    if (!bearer || !accessTokens.has(bearer) || headers.developertoken !== MICROSOFT_FAKE_DEVELOPER_TOKEN)
      return [
        401,
        adApiFault(
          105,
          'InvalidCredentials',
          'Authentication failed. Either supplied credentials are invalid or the account is inactive.',
        ),
      ];
    if (
      headers.customerid !== MICROSOFT_FAKE_CUSTOMER_ID ||
      headers.customeraccountid !== MICROSOFT_FAKE_ACCOUNT_ID
    )
      return [
        401,
        adApiFault(106, 'UserIsNotAuthorized', 'The user does not represent a authorized developer.'),
      ];
    return null;
  }

  function validTime(value: unknown) {
    return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);
  }

  function applyConversions(accountId: string, body: Record<string, unknown>): [number, unknown] {
    const items = body.OfflineConversions;
    if (!Array.isArray(items) || items.length === 0)
      return [
        400,
        apiFault(
          1001,
          'OfflineConversionsNullOrEmpty',
          'The list of offline conversions cannot be null or empty.',
        ),
      ];
    if (items.length > MAX_ITEMS)
      return [
        400,
        apiFault(
          1002,
          'OfflineConversionsArrayExceedsLimit',
          'The list of offline conversions exceeds the limit.',
        ),
      ];
    const errors: unknown[] = [];
    for (const [i, raw] of items.entries()) {
      const c = raw as Record<string, unknown>;
      if (typeof c.ConversionName !== 'string' || !goals.has(c.ConversionName)) {
        errors.push(
          batchError(
            i,
            5501,
            'OfflineConversionNameInvalid',
            'The offline conversion name is invalid.',
            'ConversionName',
          ),
        );
      } else if (typeof c.MicrosoftClickId !== 'string' || refusedClickIds.has(c.MicrosoftClickId)) {
        errors.push(
          batchError(
            i,
            5502,
            'OfflineConversionMicrosoftClickIdInvalid',
            'The Microsoft Click ID is invalid.',
            'MicrosoftClickId',
          ),
        );
      } else if (!validTime(c.ConversionTime)) {
        errors.push(
          batchError(
            i,
            5503,
            'OfflineConversionTimeInvalid',
            'The conversion time is invalid.',
            'ConversionTime',
          ),
        );
      } else if (
        c.ConversionValue !== undefined &&
        (typeof c.ConversionValue !== 'number' || c.ConversionValue < 0)
      ) {
        errors.push(
          batchError(
            i,
            5504,
            'OfflineConversionValueInvalid',
            'The conversion value is invalid.',
            'ConversionValue',
          ),
        );
      } else {
        const key = conversionKey(accountId, c);
        if (!conversions.has(key)) conversions.set(key, { accountId, conversion: c, retracted: false });
      }
    }
    return [200, { PartialErrors: errors.length > 0 ? errors : null }];
  }

  function applyAdjustments(accountId: string, body: Record<string, unknown>): [number, unknown] {
    const items = body.OfflineConversionAdjustments;
    if (!Array.isArray(items) || items.length === 0)
      return [
        400,
        apiFault(
          1003,
          'OfflineConversionAdjustmentsNullOrEmpty',
          'The list of adjustments cannot be null or empty.',
        ),
      ];
    if (items.length > MAX_ITEMS)
      return [
        400,
        apiFault(
          1004,
          'OfflineConversionAdjustmentsArrayExceedsLimit',
          'The list of adjustments exceeds the limit.',
        ),
      ];
    const errors: unknown[] = [];
    for (const [i, raw] of items.entries()) {
      const a = raw as Record<string, unknown>;
      const original = conversions.get(conversionKey(accountId, a));
      if (a.AdjustmentType !== 'Retract' && a.AdjustmentType !== 'Restate') {
        errors.push(
          batchError(
            i,
            5510,
            'OfflineConversionAdjustmentTypeInvalid',
            'The adjustment type is invalid.',
            'AdjustmentType',
          ),
        );
      } else if (
        !validTime(a.AdjustmentTime) ||
        Date.parse(String(a.AdjustmentTime)) < Date.parse(String(a.ConversionTime))
      ) {
        errors.push(
          batchError(
            i,
            5511,
            'OfflineConversionAdjustmentTimeInvalid',
            'The adjustment time is invalid.',
            'AdjustmentTime',
          ),
        );
      } else if (!original) {
        errors.push(
          batchError(
            i,
            5512,
            'OfflineConversionNotFound',
            'No offline conversion matches the adjustment.',
            'MicrosoftClickId',
          ),
        );
      } else if (a.AdjustmentType === 'Retract') {
        original.retracted = true;
      }
    }
    return [200, { PartialErrors: errors.length > 0 ? errors : null }];
  }

  function queryCampaigns(accountId: string, body: Record<string, unknown>): [number, unknown] {
    if (String(body.AccountId) !== accountId)
      return [400, apiFault(1102, 'CampaignServiceInvalidAccountId', 'The account identifier is invalid.')];
    const mine = [...campaigns.values()].filter(
      (c) => (c.accountId ?? MICROSOFT_FAKE_ACCOUNT_ID) === accountId,
    );
    return [
      200,
      {
        Campaigns: mine.map((c) => ({
          Id: c.id,
          Name: c.name,
          Status: c.status,
          CampaignType: 'Search',
          BudgetType: 'DailyBudgetStandard',
          DailyBudget: 50,
          TimeZone: 'GreenwichMeanTimeDublinEdinburghLisbonLondon',
        })),
        PartialErrors: null,
      },
    ];
  }

  function updateCampaigns(accountId: string, body: Record<string, unknown>): [number, unknown] {
    if (String(body.AccountId) !== accountId)
      return [400, apiFault(1102, 'CampaignServiceInvalidAccountId', 'The account identifier is invalid.')];
    const items = body.Campaigns;
    if (!Array.isArray(items) || items.length === 0)
      return [400, apiFault(1103, 'CampaignServiceNullCampaigns', 'Campaigns cannot be null or empty.')];
    const errors: unknown[] = [];
    for (const [i, raw] of items.entries()) {
      const update = raw as Record<string, unknown>;
      const campaign = typeof update.Id === 'number' ? campaigns.get(update.Id) : undefined;
      if (!campaign) {
        errors.push(
          batchError(
            i,
            1100,
            'CampaignServiceInvalidCampaignId',
            'The campaign identifier is invalid.',
            'Id',
          ),
        );
      } else if (update.Status !== 'Active' && update.Status !== 'Paused') {
        errors.push(
          batchError(
            i,
            1101,
            'CampaignServiceInvalidCampaignStatus',
            'The campaign status is invalid.',
            'Status',
          ),
        );
      } else {
        campaign.status = update.Status;
      }
    }
    return [200, { PartialErrors: errors.length > 0 ? errors : null }];
  }

  function token(form: URLSearchParams): [number, unknown] {
    const oauthError = (error: string, description: string, codes: number[]) =>
      [
        error === 'invalid_client' ? 401 : 400,
        {
          error,
          error_description: `${description}\r\nTrace ID: ${trackingId()}\r\nTimestamp: ${new Date().toISOString()}`,
          error_codes: codes,
          timestamp: new Date().toISOString(),
          trace_id: trackingId(),
          correlation_id: trackingId(),
        },
      ] as [number, unknown];
    if (
      form.get('client_id') !== MICROSOFT_FAKE_CLIENT_ID ||
      form.get('client_secret') !== MICROSOFT_FAKE_CLIENT_SECRET
    )
      return oauthError('invalid_client', 'AADSTS7000215: Invalid client secret provided.', [7000215]);
    if (form.get('scope') !== 'https://ads.microsoft.com/msads.manage offline_access')
      return oauthError('invalid_scope', 'AADSTS70011: The provided value for scope is not valid.', [70011]);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const redirectUri = authCodes.get(code);
      if (redirectUri === undefined || redirectUri !== form.get('redirect_uri'))
        return oauthError(
          'invalid_grant',
          'AADSTS70008: The provided authorization code or refresh token has expired or is invalid.',
          [70008],
        );
      authCodes.delete(code);
    } else if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (!refreshTokens.has(refresh))
        return oauthError(
          'invalid_grant',
          'AADSTS70000: The provided grant is invalid or malformed.',
          [70000],
        );
      refreshTokens.delete(refresh);
    } else {
      return oauthError(
        'unsupported_grant_type',
        'AADSTS70003: The app requested an unsupported grant type.',
        [70003],
      );
    }
    const accessToken = `ms-fake-at-${randomBytes(16).toString('hex')}`;
    const refreshToken = `ms-fake-rt-${randomBytes(16).toString('hex')}`;
    accessTokens.add(accessToken);
    refreshTokens.add(refreshToken);
    return [
      200,
      {
        token_type: 'Bearer',
        scope: 'https://ads.microsoft.com/msads.manage',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: accessToken,
        refresh_token: refreshToken,
      },
    ];
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://microsoft.fake');
    const answer = ([status, body]: [number, unknown]) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    const form = req.headers['content-type']?.includes('x-www-form-urlencoded');
    let body: unknown = null;
    if (raw && !form) {
      try {
        body = JSON.parse(raw);
      } catch {
        return answer([400, apiFault(100, 'InvalidRequest', 'The request body is not valid JSON.')]);
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: {
        authorization: req.headers.authorization,
        developertoken: req.headers.developertoken as string | undefined,
        customerid: req.headers.customerid as string | undefined,
        customeraccountid: req.headers.customeraccountid as string | undefined,
        'content-type': req.headers['content-type'],
      },
      body: form ? Object.fromEntries(new URLSearchParams(raw)) : body,
    });

    if (knobs.failures > 0) {
      knobs.failures -= 1;
      return answer([500, apiFault(0, 'InternalError', 'An internal error has occurred.')]);
    }
    if (knobs.rateLimited > 0) {
      knobs.rateLimited -= 1;
      return answer([
        400,
        apiFault(
          117,
          'CallRateExceeded',
          'You have exceeded the number of calls that you are allowed to make in a minute.',
        ),
      ]);
    }

    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /common/oauth2/v2.0/token') return answer(token(new URLSearchParams(raw)));
    if (!url.pathname.startsWith(`${SERVICE}/`))
      return answer([404, { message: `No ${route} in the Microsoft fake.` }]);
    const refused = authFailure(req.headers);
    if (refused) return answer(refused);
    const accountId = MICROSOFT_FAKE_ACCOUNT_ID;
    const input = (body ?? {}) as Record<string, unknown>;
    if (route === `POST ${SERVICE}/OfflineConversions/Apply`)
      return answer(applyConversions(accountId, input));
    if (route === `POST ${SERVICE}/OfflineConversionAdjustments/Apply`)
      return answer(applyAdjustments(accountId, input));
    if (route === `POST ${SERVICE}/Campaigns/QueryByAccountId`)
      return answer(queryCampaigns(accountId, input));
    if (route === `PUT ${SERVICE}/Campaigns`) return answer(updateCampaigns(accountId, input));
    return answer([404, { message: `No ${route} in the Microsoft fake.` }]);
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
    /** Offline conversions accepted, once each per goal, click id and time, with whether a Retract reached them. */
    conversions() {
      return [...conversions.values()];
    },
    addConversionGoal(name: string) {
      goals.add(name);
    },
    /** Conversions with this click id are refused by index (OfflineConversionMicrosoftClickIdInvalid). */
    refuseClickId(msclkid: string) {
      refusedClickIds.add(msclkid);
    },
    /** The token now answers 401 with 109 AuthenticationTokenExpired. */
    expireToken(token = MICROSOFT_FAKE_ACCESS_TOKEN) {
      expiredTokens.add(token);
    },
    /** The next `count` requests answer 117 CallRateExceeded. */
    rateLimitNext(count: number) {
      knobs.rateLimited += count;
    },
    /** The next `count` requests answer HTTP 500 with code 0 InternalError. */
    failNext(count: number) {
      knobs.failures += count;
    },
    addCampaign(campaign: MicrosoftCampaign) {
      campaigns.set(campaign.id, { ...campaign });
    },
    campaign(id: number) {
      return campaigns.get(id);
    },
    /** An authorization code, as the redirect back from the consent page brings it, for this redirect uri. */
    issueAuthCode(redirectUri: string) {
      const code = `M.C${randomBytes(12).toString('hex')}`;
      authCodes.set(code, redirectUri);
      return code;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
