import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Google's APIs that TAS calls, on one local port, in their documented shapes:
 *
 * - Data Manager `POST /v1/events:ingest` as the official client sends it in REST mode (proto3
 *   JSON, camelCase, enums as integers with `?$alt=json;enum-encoding=int`, names accepted too,
 *   timestamps as RFC 3339) -> `{ requestId }`. Fast-fail like Google: any invalid event refuses
 *   the whole request with 400 INVALID_ARGUMENT and a google.rpc.BadRequest whose fieldViolations
 *   name `events[i]....`; nothing of it is recorded.
 * - Google Ads REST `v22`: `customers/{cid}:uploadClickConversions` and
 *   `:uploadConversionAdjustments` (partial failure: a GoogleAdsFailure in `partialFailureError`
 *   locating `conversions[i]` / `conversion_adjustments[i]`, an empty result in its place),
 *   `customers/{cid}/googleAds:searchStream` (a JSON array of batches; an error also comes as a
 *   one-element array) and `googleAds:search`, for GAQL on `campaign` with
 *   `segments.date BETWEEN` and `campaign.status` filters, and `customers/{cid}/campaigns:mutate`
 *   (status updates). Requests need `developer-token`.
 * - OAuth: `GET /o/oauth2/v2/auth` (302 to the redirect uri with a code and the state) and
 *   `POST /token` (form: authorization_code / refresh_token grants; `invalid_grant`,
 *   `invalid_client`).
 *
 * Errors are google.rpc.Status `{ error: { code, message, status, details } }`. Conversions are
 * deduplicated like Google does: one per transaction id (order id) per conversion action, the
 * later ones answered as accepted and not recorded again.
 */
export type GoogleFake = Awaited<ReturnType<typeof startGoogleFake>>;

/** A conversion Google kept, from either API. */
export type GoogleFakeConversion = {
  api: 'data_manager' | 'legacy_upload';
  customerId: string;
  loginCustomerId: string | null;
  conversionActionId: string;
  transactionId: string;
  /** RFC 3339 (Data Manager) or `yyyy-mm-dd hh:mm:ss+hh:mm` (Google Ads). */
  eventTime: string;
  conversionValue: number | null;
  currency: string | null;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  emailHashes: string[];
  phoneHashes: string[];
  /** Consent status names as Google has them: Data Manager `CONSENT_GRANTED`, Google Ads `GRANTED`. */
  consent: { adUserData: string | null; adPersonalization: string | null };
  eventSource: string | null;
};

export type GoogleFakeRetraction = {
  customerId: string;
  conversionActionId: string;
  orderId: string;
  adjustmentDateTime: string;
};

export type GoogleFakeSpendRow = {
  campaignId: string;
  campaignName: string;
  /** YYYY-MM-DD. */
  date: string;
  costMicros: string;
  impressions: number;
  clicks: number;
};

export type GoogleFakeCampaign = {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED' | 'REMOVED';
};

type FieldViolation = { field: string; description: string; reason: string };
type AdsError = {
  errorCode: Record<string, string>;
  message: string;
  location?: { fieldPathElements: { fieldName: string; index?: number }[] };
  details?: unknown;
};

const ACCOUNT_TYPES: Record<number, string> = { 0: 'ACCOUNT_TYPE_UNSPECIFIED', 1: 'GOOGLE_ADS' };
const ENCODINGS: Record<number, string> = { 0: 'ENCODING_UNSPECIFIED', 1: 'HEX', 2: 'BASE64' };
const CONSENT: Record<number, string> = {
  0: 'CONSENT_STATUS_UNSPECIFIED',
  1: 'CONSENT_GRANTED',
  2: 'CONSENT_DENIED',
};
const EVENT_SOURCES: Record<number, string> = {
  0: 'EVENT_SOURCE_UNSPECIFIED',
  1: 'WEB',
  2: 'APP',
  3: 'IN_STORE',
};
const HTTP_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const ADS_VERSION = 'v22';

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
/** An enum as the client sent it (integer or name) as its name. */
const enumName = (value: unknown, names: Record<number, string>): string | null =>
  typeof value === 'number' ? (names[value] ?? `UNKNOWN_${value}`) : text(value);

export async function startGoogleFake(
  options: { accessToken?: string; developerToken?: string; clientId?: string; clientSecret?: string } = {},
) {
  const accessToken = options.accessToken ?? `ya29.fake-${randomBytes(12).toString('hex')}`;
  const developerToken = options.developerToken ?? `devtoken-${randomBytes(6).toString('hex')}`;
  const clientId = options.clientId ?? `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
  const clientSecret = options.clientSecret ?? `GOCSPX-${randomBytes(12).toString('hex')}`;

  const validTokens = new Set([accessToken]);
  const expiredTokens = new Set<string>();
  const codes = new Map<string, { redirectUri: string }>();
  const refreshTokens = new Set<string>();
  const conversions: GoogleFakeConversion[] = [];
  const retractions: GoogleFakeRetraction[] = [];
  const seenTransactions = new Set<string>();
  const spend = new Map<string, { currency: string; rows: GoogleFakeSpendRow[] }>();
  const campaigns = new Map<string, GoogleFakeCampaign[]>();
  const invalidClickIds = new Set<string>();
  const requests: {
    method: string;
    path: string;
    query: string;
    authorization: string | undefined;
    developerToken: string | undefined;
    loginCustomerId: string | undefined;
    body: unknown;
  }[] = [];
  const knobs = {
    failures: [] as number[],
    rateLimited: 0,
    retryDelaySeconds: 30,
    duplicates: 0,
    tokenLifetimeSeconds: 3599,
    /** Report at most this many field violations (Google may stop at the first); null: all. */
    violationLimit: null as number | null,
  };

  const status = (code: number, message: string, details: unknown[] = []) => ({
    error: { code, message, status: HTTP_STATUS[code] ?? 'UNKNOWN', details },
  });
  const adsFailure = (errors: AdsError[]) => ({
    '@type': `type.googleapis.com/google.ads.googleads.${ADS_VERSION}.errors.GoogleAdsFailure`,
    errors,
    requestId: randomBytes(8).toString('hex'),
  });

  /** The answer to a request refused before it is read: injected failures, quota, credentials. */
  function gate(
    api: 'data_manager' | 'ads',
    authorization: string | undefined,
    devToken: string | undefined,
  ) {
    const failure = knobs.failures.shift();
    if (failure !== undefined) {
      const message =
        failure === 503 ? 'The service is currently unavailable.' : 'Internal error encountered.';
      return { code: failure, body: status(failure, message) };
    }
    if (knobs.rateLimited > 0) {
      knobs.rateLimited -= 1;
      const retryDelay = `${knobs.retryDelaySeconds}s`;
      return {
        code: 429,
        body: status(
          429,
          'Resource has been exhausted (e.g. check quota).',
          api === 'data_manager'
            ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]
            : [
                adsFailure([
                  {
                    errorCode: { quotaError: 'RESOURCE_EXHAUSTED' },
                    message: 'Too many requests. Retry in 30 seconds.',
                    details: {
                      quotaErrorDetails: { rateScope: 'ACCOUNT', rateName: 'Requests', retryDelay },
                    },
                  },
                ]),
              ],
        ),
      };
    }
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token || !validTokens.has(token)) {
      const expired = token !== undefined && expiredTokens.has(token);
      const message = 'Request had invalid authentication credentials. Expected OAuth 2 access token.';
      return {
        code: 401,
        body: status(
          401,
          message,
          api === 'data_manager'
            ? [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: expired ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
                  domain: 'googleapis.com',
                },
              ]
            : [
                adsFailure([
                  {
                    errorCode: {
                      authenticationError: expired ? 'OAUTH_TOKEN_EXPIRED' : 'OAUTH_TOKEN_INVALID',
                    },
                    message: expired ? 'Oauth token is expired.' : 'Oauth token is invalid.',
                  },
                ]),
              ],
        ),
      };
    }
    if (api === 'ads' && devToken !== developerToken) {
      return {
        code: 401,
        body: status(401, 'The developer token is not valid.', [
          adsFailure([
            {
              errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
              message: 'The developer token is not valid.',
            },
          ]),
        ]),
      };
    }
    return null;
  }

  function keep(conversion: GoogleFakeConversion) {
    const key = `${conversion.customerId}/${conversion.conversionActionId}/${conversion.transactionId}`;
    if (seenTransactions.has(key)) {
      knobs.duplicates += 1;
      return;
    }
    seenTransactions.add(key);
    conversions.push(conversion);
  }

  function ingestEvents(body: Record<string, unknown>, loginHeader: string | undefined) {
    const violations: FieldViolation[] = [];
    const violate = (field: string, reason: string, description: string) =>
      violations.push({ field, reason, description });
    const destinations = list(body.destinations).map(record);
    if (destinations.length === 0)
      violate('destinations', 'REQUIRED_FIELD_MISSING', 'A destination is required.');
    destinations.forEach((destination, d) => {
      const operating = record(destination.operatingAccount);
      if (enumName(operating.accountType, ACCOUNT_TYPES) !== 'GOOGLE_ADS')
        violate(
          `destinations[${d}].operating_account.account_type`,
          'INVALID_ENUM_VALUE',
          'Unsupported account type.',
        );
      if (!/^\d{10}$/.test(text(operating.accountId) ?? ''))
        violate(
          `destinations[${d}].operating_account.account_id`,
          'INVALID_ARGUMENT',
          'Not a Google Ads customer id.',
        );
      if (destination.loginAccount !== undefined) {
        const login = record(destination.loginAccount);
        if (
          enumName(login.accountType, ACCOUNT_TYPES) !== 'GOOGLE_ADS' ||
          !/^\d{10}$/.test(text(login.accountId) ?? '')
        )
          violate(`destinations[${d}].login_account`, 'INVALID_ARGUMENT', 'Not a Google Ads login account.');
      }
      if (!/^\d+$/.test(text(destination.productDestinationId) ?? ''))
        violate(
          `destinations[${d}].product_destination_id`,
          'INVALID_CONVERSION_ACTION_ID',
          'Not a conversion action id.',
        );
    });
    const events = list(body.events).map(record);
    if (events.length > 2000) {
      return { code: 400, body: status(400, 'Too many events in the request (at most 2000).') };
    }
    const encoding = enumName(body.encoding, ENCODINGS);
    events.forEach((event, i) => {
      const at = `events[${i}]`;
      if (Number.isNaN(Date.parse(text(event.eventTimestamp) ?? '')))
        violate(`${at}.event_timestamp`, 'REQUIRED_FIELD_MISSING', 'The event timestamp is required.');
      const ids = record(event.adIdentifiers);
      const clickIds = (['gclid', 'gbraid', 'wbraid'] as const).filter((key) => text(ids[key]));
      if (clickIds.length > 1)
        violate(`${at}.ad_identifiers`, 'INVALID_EVENT', 'Only one of gclid, gbraid and wbraid may be set.');
      for (const key of clickIds) {
        if (invalidClickIds.has(String(ids[key])))
          violate(`${at}.ad_identifiers.${key}`, 'INVALID_EVENT', `The ${key} could not be decoded.`);
      }
      list(record(event.userData).userIdentifiers).forEach((identifier, j) => {
        for (const [key, field] of [
          ['emailAddress', 'email_address'],
          ['phoneNumber', 'phone_number'],
        ] as const) {
          const value = record(identifier)[key];
          if (value === undefined) continue;
          if (encoding !== 'HEX')
            violate(
              `${at}.user_data.user_identifiers[${j}].${field}`,
              'INVALID_HEX_ENCODING',
              'Encoding must be HEX.',
            );
          else if (!SHA256_HEX.test(String(value)))
            violate(
              `${at}.user_data.user_identifiers[${j}].${field}`,
              'INVALID_SHA256_FORMAT',
              'Not a SHA-256 hash.',
            );
        }
      });
      if (typeof event.conversionValue === 'number' && event.conversionValue < 0)
        violate(
          `${at}.conversion_value`,
          'INVALID_NUMBER_FORMAT',
          'The conversion value must not be negative.',
        );
      if (event.currency !== undefined && !/^[A-Z]{3}$/.test(String(event.currency)))
        violate(`${at}.currency`, 'INVALID_CURRENCY_CODE', 'Not a currency code.');
    });
    if (violations.length > 0) {
      if (knobs.violationLimit !== null) violations.splice(knobs.violationLimit);
      return {
        code: 400,
        body: status(400, 'There was a problem with the request.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'INVALID_ARGUMENT',
            domain: 'datamanager.googleapis.com',
          },
          { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations },
        ]),
      };
    }
    if (body.validateOnly !== true) {
      for (const destination of destinations) {
        const operating = record(destination.operatingAccount);
        for (const event of events) {
          const ids = record(event.adIdentifiers);
          const consent = record(event.consent);
          const identifiers = list(record(event.userData).userIdentifiers).map(record);
          keep({
            api: 'data_manager',
            customerId: String(operating.accountId),
            loginCustomerId: text(record(destination.loginAccount).accountId) ?? loginHeader ?? null,
            conversionActionId: String(destination.productDestinationId),
            transactionId: text(event.transactionId) ?? randomUUID(),
            eventTime: String(event.eventTimestamp),
            conversionValue: typeof event.conversionValue === 'number' ? event.conversionValue : null,
            currency: text(event.currency),
            gclid: text(ids.gclid),
            gbraid: text(ids.gbraid),
            wbraid: text(ids.wbraid),
            emailHashes: identifiers.flatMap((identifier) => text(identifier.emailAddress) ?? []),
            phoneHashes: identifiers.flatMap((identifier) => text(identifier.phoneNumber) ?? []),
            consent: {
              adUserData: enumName(consent.adUserData, CONSENT),
              adPersonalization: enumName(consent.adPersonalization, CONSENT),
            },
            eventSource: enumName(event.eventSource, EVENT_SOURCES),
          });
        }
      }
    }
    return { code: 200, body: { requestId: randomUUID() } };
  }

  const conversionActionOf = (value: unknown, customerId: string) =>
    new RegExp(`^customers/${customerId}/conversionActions/(\\d+)$`).exec(text(value) ?? '')?.[1] ?? null;
  const ADS_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

  function uploadClickConversions(
    customerId: string,
    body: Record<string, unknown>,
    login: string | undefined,
  ) {
    const errors: AdsError[] = [];
    const results: Record<string, unknown>[] = [];
    const at = (index: number, fieldName?: string) => ({
      fieldPathElements: [{ fieldName: 'conversions', index }, ...(fieldName ? [{ fieldName }] : [])],
    });
    for (const [index, raw] of list(body.conversions).entries()) {
      const conversion = record(raw);
      const actionId = conversionActionOf(conversion.conversionAction, customerId);
      const clickKeys = (['gclid', 'gbraid', 'wbraid'] as const).filter((key) => text(conversion[key]));
      const failed = (code: Record<string, string>, message: string, fieldName?: string) => {
        errors.push({ errorCode: code, message, location: at(index, fieldName) });
        results.push({});
      };
      if (!actionId) {
        failed(
          { conversionUploadError: 'INVALID_CONVERSION_ACTION' },
          'Invalid conversion action.',
          'conversion_action',
        );
        continue;
      }
      if (clickKeys.length !== 1) {
        failed(
          { conversionUploadError: 'EXACTLY_ONE_CLICK_IDENTIFIER_REQUIRED' },
          'Exactly one of gclid, gbraid, wbraid is required.',
        );
        continue;
      }
      const clickKey = clickKeys[0]!;
      if (invalidClickIds.has(String(conversion[clickKey]))) {
        failed(
          { conversionUploadError: 'UNPARSEABLE_GCLID' },
          'The click id could not be decoded.',
          clickKey,
        );
        continue;
      }
      if (!ADS_DATE_TIME.test(text(conversion.conversionDateTime) ?? '')) {
        failed({ dateError: 'INVALID_FIELD_FORMAT' }, 'The date time is not valid.', 'conversion_date_time');
        continue;
      }
      const userIdentifiers = list(conversion.userIdentifiers).map(record);
      const badHash = userIdentifiers.some(
        (identifier) =>
          (identifier.hashedEmail !== undefined && !SHA256_HEX.test(String(identifier.hashedEmail))) ||
          (identifier.hashedPhoneNumber !== undefined &&
            !SHA256_HEX.test(String(identifier.hashedPhoneNumber))),
      );
      if (badHash) {
        failed(
          { fieldError: 'INVALID_VALUE' },
          'A user identifier is not a SHA-256 hash.',
          'user_identifiers',
        );
        continue;
      }
      if (body.validateOnly !== true) {
        keep({
          api: 'legacy_upload',
          customerId,
          loginCustomerId: login ?? null,
          conversionActionId: actionId,
          transactionId: text(conversion.orderId) ?? randomUUID(),
          eventTime: String(conversion.conversionDateTime),
          conversionValue: typeof conversion.conversionValue === 'number' ? conversion.conversionValue : null,
          currency: text(conversion.currencyCode),
          gclid: text(conversion.gclid),
          gbraid: text(conversion.gbraid),
          wbraid: text(conversion.wbraid),
          emailHashes: userIdentifiers.flatMap((identifier) => text(identifier.hashedEmail) ?? []),
          phoneHashes: userIdentifiers.flatMap((identifier) => text(identifier.hashedPhoneNumber) ?? []),
          consent: {
            adUserData: text(record(conversion.consent).adUserData),
            adPersonalization: text(record(conversion.consent).adPersonalization),
          },
          eventSource: null,
        });
      }
      results.push({
        [clickKey]: conversion[clickKey],
        conversionAction: conversion.conversionAction,
        conversionDateTime: conversion.conversionDateTime,
      });
    }
    return partialAnswer(body, errors, results);
  }

  function uploadConversionAdjustments(customerId: string, body: Record<string, unknown>) {
    const errors: AdsError[] = [];
    const results: Record<string, unknown>[] = [];
    list(body.conversionAdjustments).forEach((raw, index) => {
      const adjustment = record(raw);
      const actionId = conversionActionOf(adjustment.conversionAction, customerId);
      const orderId = text(adjustment.orderId);
      const location = { fieldPathElements: [{ fieldName: 'conversion_adjustments', index }] };
      const known = conversions.some(
        (c) =>
          c.customerId === customerId && c.conversionActionId === actionId && c.transactionId === orderId,
      );
      if (
        !actionId ||
        adjustment.adjustmentType !== 'RETRACTION' ||
        !ADS_DATE_TIME.test(text(adjustment.adjustmentDateTime) ?? '')
      ) {
        errors.push({
          errorCode: { conversionAdjustmentUploadError: 'INVALID_ADJUSTMENT' },
          message: 'Invalid adjustment.',
          location,
        });
        results.push({});
      } else if (!known) {
        errors.push({
          errorCode: { conversionAdjustmentUploadError: 'CONVERSION_NOT_FOUND' },
          message: 'The conversion for this adjustment was not found.',
          location,
        });
        results.push({});
      } else {
        if (body.validateOnly !== true) {
          retractions.push({
            customerId,
            conversionActionId: actionId,
            orderId: orderId!,
            adjustmentDateTime: String(adjustment.adjustmentDateTime),
          });
        }
        results.push({
          orderId,
          conversionAction: adjustment.conversionAction,
          adjustmentType: 'RETRACTION',
        });
      }
    });
    return partialAnswer(body, errors, results);
  }

  function partialAnswer(
    body: Record<string, unknown>,
    errors: AdsError[],
    results: Record<string, unknown>[],
  ) {
    if (body.partialFailure !== true && errors.length > 0) {
      return { code: 400, body: status(400, 'Request contains an invalid argument.', [adsFailure(errors)]) };
    }
    return {
      code: 200,
      body: {
        ...(errors.length > 0
          ? {
              partialFailureError: {
                code: 3,
                message: errors.map((e) => e.message).join(', '),
                details: [adsFailure(errors)],
              },
            }
          : {}),
        results: body.validateOnly === true ? [] : results,
      },
    };
  }

  /** GAQL on `campaign`, as far as TAS writes it: the fields selected, date range and status filters. */
  function query(customerId: string, gaql: string): { rows: Record<string, unknown>[] } | { error: string } {
    const match = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s*$/is.exec(gaql);
    if (match?.[2] !== 'campaign') return { error: 'The query is not valid GAQL on campaign.' };
    const fields = match[1]!.split(',').map((f) => f.trim());
    const where = match[3] ?? '';
    const between = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(
      where,
    );
    const notStatus = /campaign\.status\s*!=\s*'(\w+)'/i.exec(where)?.[1];
    const withDate = fields.includes('segments.date');
    if (withDate && !between) return { error: 'segments.date requires a finite date range in WHERE.' };
    const known = campaigns.get(customerId) ?? [];
    const account = spend.get(customerId);
    const base: { campaignId: string; campaignName: string; day: GoogleFakeSpendRow | null }[] = withDate
      ? (account?.rows ?? [])
          .filter((row) => row.date >= between![1]! && row.date <= between![2]!)
          .map((row) => ({ campaignId: row.campaignId, campaignName: row.campaignName, day: row }))
      : known.map((c) => ({ campaignId: c.id, campaignName: c.name, day: null }));
    const rows = base
      .map((row) => {
        const campaign = known.find((c) => c.id === row.campaignId);
        const values: Record<string, unknown> = {
          'customer.currency_code': account?.currency ?? 'USD',
          'campaign.id': row.campaignId,
          'campaign.name': campaign?.name ?? row.campaignName,
          'campaign.status': campaign?.status ?? 'ENABLED',
          'campaign.resource_name': `customers/${customerId}/campaigns/${row.campaignId}`,
          ...(row.day
            ? {
                'segments.date': row.day.date,
                // Google leaves zero metrics out of the answer.
                ...(row.day.costMicros !== '0' ? { 'metrics.cost_micros': row.day.costMicros } : {}),
                ...(row.day.impressions !== 0 ? { 'metrics.impressions': String(row.day.impressions) } : {}),
                ...(row.day.clicks !== 0 ? { 'metrics.clicks': String(row.day.clicks) } : {}),
              }
            : {}),
        };
        return values;
      })
      .filter((values) => !notStatus || values['campaign.status'] !== notStatus);
    return {
      rows: rows.map((values) => {
        const out: Record<string, Record<string, unknown>> = {};
        const resource = (name: string) => (out[name] ??= {});
        resource('campaign').resourceName = values['campaign.resource_name'];
        for (const field of fields) {
          if (!(field in values)) continue;
          const [name, attribute] = field.split('.') as [string, string];
          const camel = attribute.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
          resource(name)[camel] = values[field];
        }
        return out;
      }),
    };
  }

  function mutateCampaigns(customerId: string, body: Record<string, unknown>) {
    const operations = list(body.operations).map(record);
    const results: { resourceName: string }[] = [];
    for (const [index, operation] of operations.entries()) {
      const update = record(operation.update);
      const id = new RegExp(`^customers/${customerId}/campaigns/(\\d+)$`).exec(
        text(update.resourceName) ?? '',
      )?.[1];
      const campaign = (campaigns.get(customerId) ?? []).find((c) => c.id === id);
      const location = { fieldPathElements: [{ fieldName: 'operations', index }, { fieldName: 'update' }] };
      if (!campaign) {
        return {
          code: 400,
          body: status(400, 'Request contains an invalid argument.', [
            adsFailure([
              {
                errorCode: { mutateError: 'RESOURCE_NOT_FOUND' },
                message: 'Resource was not found.',
                location,
              },
            ]),
          ]),
        };
      }
      if (operation.updateMask !== 'status' || (update.status !== 'ENABLED' && update.status !== 'PAUSED')) {
        return {
          code: 400,
          body: status(400, 'Request contains an invalid argument.', [
            adsFailure([
              {
                errorCode: { fieldMaskError: 'FIELD_NOT_FOUND' },
                message: 'Only status updates here.',
                location,
              },
            ]),
          ]),
        };
      }
      if (body.validateOnly !== true) campaign.status = update.status;
      results.push({ resourceName: `customers/${customerId}/campaigns/${campaign.id}` });
    }
    return { code: 200, body: { results } };
  }

  function token(form: URLSearchParams) {
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return { code: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
    }
    const grant = form.get('grant_type');
    const issue = (withRefresh: boolean) => {
      const access = `ya29.fake-${randomBytes(12).toString('hex')}`;
      validTokens.add(access);
      const refresh = `1//fake-${randomBytes(12).toString('hex')}`;
      if (withRefresh) refreshTokens.add(refresh);
      return {
        code: 200,
        body: {
          access_token: access,
          expires_in: knobs.tokenLifetimeSeconds,
          ...(withRefresh ? { refresh_token: refresh } : {}),
          scope: 'https://www.googleapis.com/auth/adwords https://www.googleapis.com/auth/datamanager',
          token_type: 'Bearer',
        },
      };
    };
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code || code.redirectUri !== form.get('redirect_uri')) {
        return { code: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
      }
      return issue(true);
    }
    if (grant === 'refresh_token') {
      if (!refreshTokens.has(form.get('refresh_token') ?? '')) {
        return {
          code: 400,
          body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
        };
      }
      return issue(false);
    }
    return { code: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://google.fake');
    const json = (code: number, body: unknown) =>
      res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    let body: unknown = null;
    if (raw && header('content-type')?.includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return json(400, status(400, 'Invalid JSON payload received.'));
      }
    }
    const form = header('content-type')?.includes('x-www-form-urlencoded') ? new URLSearchParams(raw) : null;
    const login = header('login-customer-id');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      authorization: header('authorization'),
      developerToken: header('developer-token'),
      loginCustomerId: login,
      body: body ?? (form ? Object.fromEntries(form) : null),
    });

    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') {
      const redirectUri = url.searchParams.get('redirect_uri');
      if (url.searchParams.get('client_id') !== clientId || !redirectUri) {
        return json(400, {
          error: 'invalid_request',
          error_description: 'Unknown client or no redirect_uri.',
        });
      }
      const code = `4/fake-${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      target.searchParams.set('scope', url.searchParams.get('scope') ?? '');
      return res.writeHead(302, { location: target.toString() }).end();
    }

    const isToken = req.method === 'POST' && url.pathname === '/token';
    const isIngest = req.method === 'POST' && url.pathname === '/v1/events:ingest';
    const ads = new RegExp(`^/${ADS_VERSION}/customers/(\\d+)(?::|/)(.+)$`).exec(url.pathname);
    if (!isToken && !isIngest && !(req.method === 'POST' && ads)) {
      return json(404, status(404, `No ${req.method} ${url.pathname} in the Google fake.`));
    }
    if (isToken) {
      const failure = knobs.failures.shift();
      if (failure !== undefined)
        return json(failure, { error: 'internal_failure', error_description: 'Backend Error' });
      const answer = token(form ?? new URLSearchParams());
      return json(answer.code, answer.body);
    }
    const refused = gate(
      isIngest ? 'data_manager' : 'ads',
      header('authorization'),
      header('developer-token'),
    );
    const searchStream = ads?.[2] === 'googleAds:searchStream';
    if (refused) return json(refused.code, searchStream ? [refused.body] : refused.body);
    if (isIngest) {
      const answer = ingestEvents(record(body), login);
      return json(answer.code, answer.body);
    }
    const [, customerId, method] = ads!;
    const request = record(body);
    if (method === 'uploadClickConversions') {
      const answer = uploadClickConversions(customerId!, request, login);
      return json(answer.code, answer.body);
    }
    if (method === 'uploadConversionAdjustments') {
      const answer = uploadConversionAdjustments(customerId!, request);
      return json(answer.code, answer.body);
    }
    if (method === 'googleAds:searchStream' || method === 'googleAds:search') {
      const result = query(customerId!, text(request.query) ?? '');
      if ('error' in result) {
        const error = status(400, 'Request contains an invalid argument.', [
          adsFailure([{ errorCode: { queryError: 'UNEXPECTED_END_OF_QUERY' }, message: result.error }]),
        ]);
        return json(400, searchStream ? [error] : error);
      }
      const fieldMask = 'campaign.id,campaign.name';
      const requestId = randomBytes(8).toString('hex');
      return json(
        200,
        searchStream
          ? result.rows.length === 0
            ? [{ fieldMask, requestId }]
            : [{ results: result.rows, fieldMask, requestId }]
          : { results: result.rows, fieldMask, requestId, totalResultsCount: String(result.rows.length) },
      );
    }
    if (method === 'campaigns:mutate') {
      const answer = mutateCampaigns(customerId!, request);
      return json(answer.code, answer.body);
    }
    return json(404, status(404, `No method ${method} in the Google fake.`));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(status(500, String(e))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url,
    /** Every Google endpoint of AdPlatformEndpoints, pointed at this fake. */
    endpoints: { googleDataManagerUrl: url, googleAdsUrl: url, googleAuthUrl: url, googleTokenUrl: url },
    /** The access token the fake accepts from the start. */
    accessToken,
    developerToken,
    clientId,
    clientSecret,
    /** The app registration to put in AdPlatformApps.google. */
    app: { clientId, clientSecret, developerToken },
    requests,
    /** Conversions Google kept (validateOnly ones and duplicates are not). */
    conversions,
    retractions,
    /** How many conversions were dropped as repeats of a kept transaction id. */
    get duplicates() {
      return knobs.duplicates;
    },
    /** The token stops working: 401 UNAUTHENTICATED (ACCESS_TOKEN_EXPIRED / OAUTH_TOKEN_EXPIRED). */
    expireToken(token = accessToken) {
      validTokens.delete(token);
      expiredTokens.add(token);
    },
    /** The next `count` API calls are refused with 429 RESOURCE_EXHAUSTED, saying retry in `retryDelaySeconds`. */
    rateLimitNext(count: number, retryDelaySeconds = 30) {
      knobs.rateLimited += count;
      knobs.retryDelaySeconds = retryDelaySeconds;
    },
    /** The next `count` requests (API or token) answer `status` before anything is done. */
    failNext(count: number, status_: 500 | 503 = 503) {
      for (let i = 0; i < count; i++) knobs.failures.push(status_);
    },
    /** Data Manager reports only the first `count` field violations of a refused request (null: all). */
    limitViolations(count: number | null) {
      knobs.violationLimit = count;
    },
    /** Click ids (gclid, gbraid or wbraid values) Google cannot decode. */
    rejectClickId(...values: string[]) {
      for (const value of values) invalidClickIds.add(value);
    },
    /** The account's currency and its daily rows per campaign (cost in micros). */
    setSpend(customerId: string, currency: string, rows: GoogleFakeSpendRow[]) {
      spend.set(customerId, { currency, rows });
    },
    setCampaigns(customerId: string, list_: GoogleFakeCampaign[]) {
      campaigns.set(
        customerId,
        list_.map((c) => ({ ...c })),
      );
    },
    campaignsOf(customerId: string): GoogleFakeCampaign[] {
      return campaigns.get(customerId) ?? [];
    },
    /** A code as the consent screen would give it, for `redirectUri`. */
    authorizationCode(redirectUri: string) {
      const code = `4/fake-${randomBytes(12).toString('hex')}`;
      codes.set(code, { redirectUri });
      return code;
    },
    /** Refresh tokens stop working (the advertiser revoked access). */
    revokeRefreshTokens() {
      refreshTokens.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
