import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * PayPal's REST API on a local port, for what TAS calls, in PayPal's documented shapes:
 * `POST /v1/oauth2/token` (HTTP Basic client id and secret, `grant_type=client_credentials`,
 * `{ access_token, token_type, expires_in }`, 401 `{ error: 'invalid_client' }`), Payouts
 * (`POST /v1/payments/payouts` -> 201 `{ batch_header, links }`; a sender_batch_id already used ->
 * 400 USER_BUSINESS_ERROR naming SENDER_BATCH_ID with a link to the existing batch; `GET
 * /v1/payments/payouts/{id}` with items and their transaction_status, paged; `GET
 * /v1/payments/payouts-item/{id}`), and
 * `POST /v1/notifications/verify-webhook-signature`. Errors are `{ name, message, debug_id,
 * information_link, details }`. The fake signs webhooks with an HMAC of its own over the
 * transmission id, time, webhook id and body (PayPal uses a certificate; only PayPal checks it,
 * through that same verify call, so the scheme is the fake's business).
 */
export type PayPalFake = Awaited<ReturnType<typeof startPayPalFake>>;

type Item = {
  payout_item_id: string;
  transaction_id?: string;
  transaction_status: string;
  payout_batch_id: string;
  payout_item: {
    recipient_type: string;
    amount: { value: string; currency: string };
    note?: string;
    receiver: string;
    sender_item_id?: string;
  };
  time_processed?: string;
  errors?: { name: string; message: string };
};
type Batch = {
  id: string;
  senderBatchId: string;
  emailSubject: string | undefined;
  status: string;
  created: string;
  items: Item[];
};

/** Item outcomes a test can ask for, with the error PayPal reports for each. */
export type ItemOutcome = 'SUCCESS' | 'UNCLAIMED' | 'FAILED' | 'RETURNED' | 'BLOCKED' | 'ONHOLD';
const ITEM_ERRORS: Partial<Record<ItemOutcome, { name: string; message: string }>> = {
  UNCLAIMED: { name: 'RECEIVER_UNREGISTERED', message: 'Receiver is unregistered' },
  FAILED: { name: 'RECEIVER_ACCOUNT_LOCKED', message: 'Receiver account is locked or inactive' },
  RETURNED: { name: 'RECEIVER_UNCONFIRMED', message: 'Receiver is unconfirmed' },
  BLOCKED: { name: 'RECEIVER_RESTRICTED', message: 'Receiver is restricted' },
};
const ITEM_EVENTS: Record<ItemOutcome, string> = {
  SUCCESS: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
  UNCLAIMED: 'PAYMENT.PAYOUTS-ITEM.UNCLAIMED',
  FAILED: 'PAYMENT.PAYOUTS-ITEM.FAILED',
  RETURNED: 'PAYMENT.PAYOUTS-ITEM.RETURNED',
  BLOCKED: 'PAYMENT.PAYOUTS-ITEM.BLOCKED',
  ONHOLD: 'PAYMENT.PAYOUTS-ITEM.HELD',
};

export type PayPalWebhookEventBody = {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
  links: unknown[];
};

export async function startPayPalFake(
  options: {
    clientId?: string;
    clientSecret?: string;
    webhookId?: string;
    tokenLifetimeSeconds?: number;
  } = {},
) {
  const clientId = options.clientId ?? `fake-client-${randomBytes(6).toString('hex')}`;
  const clientSecret = options.clientSecret ?? `fake-secret-${randomBytes(16).toString('hex')}`;
  const webhookId = options.webhookId ?? `WH${randomBytes(8).toString('hex').toUpperCase()}`;
  const signingKey = randomBytes(32);
  const debugId = () => randomBytes(6).toString('hex');
  const newId = (length = 13) =>
    randomBytes(length)
      .toString('base64')
      .replace(/[^A-Z0-9]/gi, '')
      .toUpperCase()
      .slice(0, length);

  const tokens = new Map<string, number>();
  const batches = new Map<string, Batch>();
  const bySenderBatchId = new Map<string, string>();
  const events: PayPalWebhookEventBody[] = [];
  const requests: { method: string; path: string; authorization: string | undefined; body: unknown }[] = [];
  const knobs = {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 32_400,
    tokensIssued: 0,
    failures: [] as number[],
    outcomes: new Map<string, ItemOutcome>(),
    /** What the sender's PayPal balance can pay, per currency; absent: unlimited. */
    balance: new Map<string, number>(),
    /** Leave the duplicate error without its link, as older PayPal answers were. */
    duplicateWithoutLink: false,
  };
  let base = '';

  const error = (name: string, message: string, details?: unknown[]) => ({
    name,
    message,
    debug_id: debugId(),
    information_link: 'https://developer.paypal.com/docs/api/payments.payouts-batch/#errors',
    ...(details ? { details } : {}),
    links: [],
  });
  const sign = (transmissionId: string, time: string, forWebhook: string, body: string) =>
    createHmac('sha256', signingKey)
      .update(`${transmissionId}|${time}|${forWebhook}|${body}`)
      .digest('base64');

  const batchBody = (batch: Batch, page: number, pageSize: number) => {
    const amount = batch.items.reduce((sum, item) => sum + Number(item.payout_item.amount.value), 0);
    return {
      batch_header: {
        payout_batch_id: batch.id,
        batch_status: batch.status,
        time_created: batch.created,
        sender_batch_header: { sender_batch_id: batch.senderBatchId, email_subject: batch.emailSubject },
        amount: { currency: batch.items[0]?.payout_item.amount.currency ?? 'USD', value: amount.toFixed(2) },
        fees: { currency: batch.items[0]?.payout_item.amount.currency ?? 'USD', value: '0.00' },
      },
      items: batch.items.slice((page - 1) * pageSize, page * pageSize),
      links: [{ href: `${base}/v1/payments/payouts/${batch.id}`, rel: 'self', method: 'GET' }],
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://paypal.fake');
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'paypal-debug-id': debugId() })
        .end(JSON.stringify(body));
    const authorization = req.headers.authorization;
    let body: unknown = null;
    if (raw && req.headers['content-type']?.includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return json(400, error('MALFORMED_REQUEST', 'The request JSON is not well formed.'));
      }
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, authorization, body });

    const failure = knobs.failures.shift();
    if (failure !== undefined) {
      return failure === 503
        ? json(503, error('SERVICE_UNAVAILABLE', 'Service Unavailable.'))
        : json(failure, error('INTERNAL_SERVER_ERROR', 'An internal server error has occurred.'));
    }

    if (req.method === 'POST' && url.pathname === '/v1/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      const given = Buffer.from(authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
        return json(401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
      }
      if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
        return json(400, { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
      }
      const token = `A21AA${randomBytes(24).toString('base64url')}`;
      tokens.set(token, Date.now() + knobs.tokenLifetimeSeconds * 1000);
      knobs.tokensIssued++;
      return json(200, {
        scope: 'https://uri.paypal.com/services/payments/payouts',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: knobs.tokenLifetimeSeconds,
        nonce: `${new Date().toISOString()}${randomBytes(8).toString('hex')}`,
      });
    }

    const token = authorization?.replace(/^Bearer /, '') ?? '';
    const expiresAt = tokens.get(token);
    if (!authorization?.startsWith('Bearer ') || expiresAt === undefined) {
      return json(401, {
        name: 'AUTHENTICATION_FAILURE',
        message:
          'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
        links: [],
      });
    }
    if (expiresAt <= Date.now()) {
      return json(401, { error: 'invalid_token', error_description: 'Access Token not found in cache' });
    }

    if (req.method === 'POST' && url.pathname === '/v1/payments/payouts') {
      const request = body as {
        sender_batch_header?: { sender_batch_id?: string; email_subject?: string };
        items?: {
          recipient_type?: string;
          receiver?: string;
          amount?: { value?: string; currency?: string };
          sender_item_id?: string;
          note?: string;
        }[];
      } | null;
      const details: { field: string; location: string; issue: string }[] = [];
      if (!request?.items?.length)
        details.push({ field: 'items', location: 'body', issue: 'Required field missing' });
      for (const [i, item] of (request?.items ?? []).entries()) {
        if (!item.receiver)
          details.push({ field: `items[${i}].receiver`, location: 'body', issue: 'Required field missing' });
        if (
          !/^\d+(\.\d{1,2})?$/.test(item.amount?.value ?? '') ||
          !/^[A-Z]{3}$/.test(item.amount?.currency ?? '')
        )
          details.push({ field: `items[${i}].amount`, location: 'body', issue: 'Invalid amount' });
      }
      if (details.length > 0)
        return json(400, error('VALIDATION_ERROR', 'Invalid request - see details', details));
      const senderBatchId = request?.sender_batch_header?.sender_batch_id ?? newId();
      const existing = bySenderBatchId.get(senderBatchId);
      if (existing) {
        return json(
          400,
          error('USER_BUSINESS_ERROR', 'User business error.', [
            {
              field: 'SENDER_BATCH_ID',
              location: 'body',
              issue: 'Batch with given sender_batch_id already exists',
              ...(knobs.duplicateWithoutLink
                ? {}
                : {
                    link: [
                      {
                        href: `${base}/v1/payments/payouts/${existing}`,
                        rel: 'self',
                        method: 'GET',
                        encType: 'application/json',
                      },
                    ],
                  }),
            },
          ]),
        );
      }
      const items = request?.items ?? [];
      const currency = items[0]?.amount?.currency ?? 'USD';
      const total = items.reduce((sum, item) => sum + Math.round(Number(item.amount?.value) * 100), 0);
      const balance = knobs.balance.get(currency);
      if (balance !== undefined && total > balance) {
        return json(
          422,
          error('INSUFFICIENT_FUNDS', 'Sender does not have sufficient funds. Please add funds and retry.'),
        );
      }
      if (balance !== undefined) knobs.balance.set(currency, balance - total);
      const id = newId();
      const batch: Batch = {
        id,
        senderBatchId,
        emailSubject: request?.sender_batch_header?.email_subject,
        status: 'PENDING',
        created: new Date().toISOString(),
        items: items.map((item) => ({
          payout_item_id: newId(),
          transaction_status: 'PENDING',
          payout_batch_id: id,
          payout_item: {
            recipient_type: item.recipient_type ?? 'EMAIL',
            amount: { value: item.amount?.value ?? '0', currency: item.amount?.currency ?? 'USD' },
            receiver: item.receiver ?? '',
            ...(item.note ? { note: item.note } : {}),
            ...(item.sender_item_id ? { sender_item_id: item.sender_item_id } : {}),
          },
        })),
      };
      batches.set(id, batch);
      bySenderBatchId.set(senderBatchId, id);
      return json(201, {
        batch_header: {
          payout_batch_id: id,
          batch_status: 'PENDING',
          sender_batch_header: { sender_batch_id: senderBatchId, email_subject: batch.emailSubject },
        },
        links: [
          {
            href: `${base}/v1/payments/payouts/${id}`,
            rel: 'self',
            method: 'GET',
            encType: 'application/json',
          },
        ],
      });
    }

    const batchPath = /^\/v1\/payments\/payouts\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (req.method === 'GET' && batchPath) {
      const batch = batches.get(batchPath[1]!);
      if (!batch) return json(404, error('INVALID_RESOURCE_ID', 'Requested resource ID was not found.'));
      const page = Number(url.searchParams.get('page') ?? 1);
      const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? 1000), 1000);
      return json(200, batchBody(batch, page, pageSize));
    }

    const itemPath = /^\/v1\/payments\/payouts-item\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (req.method === 'GET' && itemPath) {
      for (const batch of batches.values()) {
        const item = batch.items.find((i) => i.payout_item_id === itemPath[1]);
        if (item) return json(200, { ...item, sender_batch_id: batch.senderBatchId, links: [] });
      }
      return json(404, error('INVALID_RESOURCE_ID', 'Requested resource ID was not found.'));
    }

    if (req.method === 'POST' && url.pathname === '/v1/notifications/verify-webhook-signature') {
      const v = body as Record<string, unknown> | null;
      const required = [
        'auth_algo',
        'cert_url',
        'transmission_id',
        'transmission_sig',
        'transmission_time',
        'webhook_id',
      ];
      const absent = required.filter((k) => typeof v?.[k] !== 'string');
      if (absent.length > 0 || typeof v?.webhook_event !== 'object') {
        return json(
          400,
          error(
            'VALIDATION_ERROR',
            'Invalid request - see details',
            [...absent, ...(typeof v?.webhook_event !== 'object' ? ['webhook_event'] : [])].map((field) => ({
              field,
              location: 'body',
              issue: 'MISSING_REQUIRED_PARAMETER',
            })),
          ),
        );
      }
      const expected = sign(
        String(v.transmission_id),
        String(v.transmission_time),
        String(v.webhook_id),
        JSON.stringify(v.webhook_event),
      );
      const ok = v.webhook_id === webhookId && v.transmission_sig === expected;
      return json(200, { verification_status: ok ? 'SUCCESS' : 'FAILURE' });
    }

    return json(404, error('NOT_FOUND', `No ${req.method} ${url.pathname} in the PayPal fake.`));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify(error('INTERNAL_SERVER_ERROR', String(e))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const emit = (
    eventType: string,
    resourceType: string,
    resource: Record<string, unknown>,
    summary: string,
  ) => {
    const event: PayPalWebhookEventBody = {
      id: `WH-${newId(17)}-${newId(17)}`,
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      event_type: eventType,
      summary,
      resource,
      links: [],
    };
    events.push(event);
    return event;
  };

  return {
    url: base,
    clientId,
    clientSecret,
    webhookId,
    requests,
    events,
    get tokensIssued() {
      return knobs.tokensIssued;
    },
    batchCount: () => batches.size,
    /** The next `count` requests are answered `status` (500 or 503) before anything is done. */
    failNext(count: number, status: 500 | 503 = 503) {
      for (let i = 0; i < count; i++) knobs.failures.push(status);
    },
    /** Tokens issued from now on live this long. */
    setTokenLifetime(seconds: number) {
      knobs.tokenLifetimeSeconds = seconds;
    },
    /** PayPal forgets every token it issued (as after a credentials rotation). */
    revokeTokens() {
      tokens.clear();
    },
    setBalance(currency: string, amountMinor: number) {
      knobs.balance.set(currency, amountMinor);
    },
    /** How PayPal will settle items sent to `receiver` (default SUCCESS). */
    setOutcome(receiver: string, outcome: ItemOutcome) {
      knobs.outcomes.set(receiver, outcome);
    },
    /** The item PayPal holds for a sender_item_id, to change as PayPal might on its own. */
    itemOf(senderItemId: string): Item | undefined {
      for (const batch of batches.values()) {
        const item = batch.items.find((i) => i.payout_item.sender_item_id === senderItemId);
        if (item) return item;
      }
      return undefined;
    },
    /** PayPal no longer has the batch (GET answers 404 INVALID_RESOURCE_ID). */
    dropBatch(batchId: string) {
      const batch = batches.get(batchId);
      batches.delete(batchId);
      if (batch) bySenderBatchId.delete(batch.senderBatchId);
    },
    duplicateWithoutLink(on = true) {
      knobs.duplicateWithoutLink = on;
    },
    /** PayPal works off the pending batches; each item's outcome becomes a webhook event. */
    settle() {
      const emitted: PayPalWebhookEventBody[] = [];
      for (const batch of batches.values()) {
        if (batch.status !== 'PENDING') continue;
        for (const item of batch.items) {
          const outcome = knobs.outcomes.get(item.payout_item.receiver) ?? 'SUCCESS';
          item.transaction_status = outcome;
          item.time_processed = new Date().toISOString();
          if (outcome === 'SUCCESS') item.transaction_id = newId(17);
          const itemError = ITEM_ERRORS[outcome];
          if (itemError) item.errors = itemError;
          emitted.push(
            emit(
              ITEM_EVENTS[outcome],
              'payouts_item',
              { ...item },
              `A payout item is ${outcome.toLowerCase()}`,
            ),
          );
        }
        batch.status = 'SUCCESS';
        emitted.push(
          emit(
            'PAYMENT.PAYOUTSBATCH.SUCCESS',
            'payouts',
            batchBody(batch, 1, 1000),
            'Payouts batch completed successfully.',
          ),
        );
      }
      return emitted;
    },
    /** A delivery as PayPal makes it: the event's JSON and the transmission headers, signed. */
    signed(event: unknown, sign_: { webhookId?: string } = {}) {
      const body = JSON.stringify(event);
      const transmissionId = crypto.randomUUID();
      const time = new Date().toISOString();
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'paypal-auth-algo': 'SHA256withRSA',
          'paypal-cert-url': `${base}/v1/notifications/certs/CERT-fake`,
          'paypal-transmission-id': transmissionId,
          'paypal-transmission-time': time,
          'paypal-transmission-sig': sign(transmissionId, time, sign_.webhookId ?? webhookId, body),
        },
      };
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
