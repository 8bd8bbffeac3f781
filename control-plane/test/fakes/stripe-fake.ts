import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';

/**
 * Stripe's v1 API on a local port, for exactly what TAS calls, in Stripe's wire format:
 * form-encoded bodies with nested `a[b][0]=` keys, `Authorization: Bearer sk_...`,
 * `Idempotency-Key` (same key and same parameters: the first answer again, with
 * `Idempotent-Replayed: true`; other parameters: 400 `idempotency_error`), `Stripe-Account` (act
 * as a connected account), errors as `{ error: { type, code, message, param } }` with Stripe's
 * statuses (400 invalid request, 401 bad key, 402 card declined, 404 missing, 5xx down), and
 * objects with Stripe's id prefixes. Tests drive it only through the official SDK; the knobs
 * below stand for what happens at Stripe on its own (a customer paying, a bank bouncing a payout).
 */
export type StripeFake = Awaited<ReturnType<typeof startStripeFake>>;

export type RecordedStripeRequest = {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | undefined;
  stripeAccount: string | undefined;
  authorization: string | undefined;
};

type StripeObject = Record<string, unknown> & { id: string };
type Answer = { status: number; body: unknown };
type Stored = { method: string; path: string; params: string; answer: Answer };

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: { type: string; code?: string; message: string; param?: string; decline_code?: string },
  ) {
    super(error.message);
  }
}

const invalid = (message: string, extra: { code?: string; param?: string } = {}) =>
  new StripeApiError(400, { type: 'invalid_request_error', message, ...extra });
const missing = (what: string, id: string, param?: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${what}: '${id}'`,
    ...(param ? { param } : {}),
  });
const required = (param: string) =>
  invalid(`Missing required param: ${param}.`, { code: 'parameter_missing', param });

/** Parses Stripe's form encoding (`a[b][0][c]=1`) into nested objects and arrays. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const path = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    for (const [i, segment] of path.entries()) {
      if (i === path.length - 1) node[segment] = value;
      else {
        node[segment] ??= {};
        node = node[segment] as Record<string, unknown>;
      }
    }
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, arrays(v)] as const);
    if (entries.length > 0 && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
    return Object.fromEntries(entries);
  };
  return arrays(root) as Record<string, unknown>;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

export async function startStripeFake(
  options: { secretKey?: string; webhookSecret?: string; platformBalance?: Record<string, number> } = {},
) {
  const secretKey = options.secretKey ?? `sk_test_fake${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_fake${randomBytes(12).toString('hex')}`;
  const now = () => Math.floor(Date.now() / 1000);
  const newId = (prefix: string) =>
    `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

  const accounts = new Map<string, StripeObject>();
  const transfers = new Map<string, StripeObject>();
  const sessions = new Map<string, StripeObject>();
  const customers = new Map<string, StripeObject>();
  const invoices = new Map<string, StripeObject>();
  const invoiceItems = new Map<string, StripeObject>();
  const payouts = new Map<string, StripeObject>();
  /** Available balance per owner ('platform' or an acct_ id) and lower-case currency. */
  const balances = new Map<string, Map<string, number>>();
  const idempotent = new Map<string, Stored>();
  const requests: RecordedStripeRequest[] = [];
  const events: Stripe.Event[] = [];
  let invoiceNumber = 0;

  const knobs = {
    /** Answer this many next requests with `status` before doing anything (Stripe down). */
    failures: [] as number[],
    /** Do this many next POSTs, then drop the connection without answering (a lost response). */
    dropAfterCommit: 0,
    /** Refuse charges of saved cards with this decline code. */
    declineCode: null as string | null,
    /** The same as failures and dropAfterCommit, for requests to paths ending so (a step in a sequence). */
    onPath: [] as { suffix: string; action: number | 'drop'; count: number }[],
  };
  const pathRule = (path: string, drop: boolean) => {
    const rule = knobs.onPath.find(
      (r) => r.count > 0 && path.endsWith(r.suffix) && (r.action === 'drop') === drop,
    );
    if (rule) rule.count--;
    return rule;
  };

  const balanceOf = (owner: string) => {
    const map = balances.get(owner) ?? new Map<string, number>();
    balances.set(owner, map);
    return map;
  };
  const credit = (owner: string, currency: string, amount: number) => {
    const map = balanceOf(owner);
    map.set(currency, (map.get(currency) ?? 0) + amount);
  };
  for (const [currency, amount] of Object.entries(options.platformBalance ?? { usd: 1_000_000 })) {
    credit('platform', currency.toLowerCase(), amount);
  }

  const emit = (type: string, object: StripeObject, extra: { account?: string } = {}): Stripe.Event => {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      ...(extra.account ? { account: extra.account } : {}),
    } as unknown as Stripe.Event;
    events.push(event);
    return event;
  };

  const amountParam = (params: Record<string, unknown>, name: string) => {
    const raw = params[name];
    if (raw === undefined) throw required(name);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0)
      throw invalid(`Invalid integer: ${String(raw)}`, { code: 'parameter_invalid_integer', param: name });
    return value;
  };
  const signedAmountParam = (params: Record<string, unknown>, name: string) => {
    const raw = params[name];
    if (raw === undefined) throw required(name);
    const value = Number(raw);
    if (!Number.isInteger(value))
      throw invalid(`Invalid integer: ${String(raw)}`, { code: 'parameter_invalid_integer', param: name });
    return value;
  };
  const stringParam = (params: Record<string, unknown>, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value === '') throw required(name);
    return value;
  };
  const metadataOf = (params: Record<string, unknown>) =>
    (params.metadata as Record<string, string> | undefined) ?? {};

  const get = <T extends StripeObject>(map: Map<string, T>, what: string, id: string, param?: string) => {
    const found = map.get(id);
    if (!found) throw missing(what, id, param);
    return found;
  };

  /**
   * A list endpoint as Stripe documents them: newest first, `limit` (1-100, default 10),
   * `starting_after` / `ending_before` (an object id of the list), `created` as a timestamp or a
   * range (`created[gte]=`...), and `{ object: 'list', data, has_more, url }`.
   */
  const listOf = (
    map: Map<string, StripeObject>,
    what: string,
    url: string,
    params: Record<string, unknown>,
    keep: (object: StripeObject) => boolean = () => true,
  ) => {
    const limit = params.limit === undefined ? 10 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalid('This value must be between 1 and 100 (inclusive).', { param: 'limit' });
    const created = params.created;
    const bound = (op: string) => {
      const raw =
        typeof created === 'object' && created !== null
          ? (created as Record<string, unknown>)[op]
          : undefined;
      return raw === undefined ? null : Number(raw);
    };
    const exactly = typeof created === 'string' ? Number(created) : null;
    const inRange = (at: number) =>
      (exactly === null || at === exactly) &&
      (bound('gt') === null || at > (bound('gt') ?? 0)) &&
      (bound('gte') === null || at >= (bound('gte') ?? 0)) &&
      (bound('lt') === null || at < (bound('lt') ?? 0)) &&
      (bound('lte') === null || at <= (bound('lte') ?? 0));
    // Newest first; objects of the same second in reverse order of creation, as Stripe keeps them.
    const all = [...map.values()].reverse().filter((o) => inRange(o.created as number) && keep(o));
    all.sort((a, b) => (b.created as number) - (a.created as number));
    let from = 0;
    let to = all.length;
    if (typeof params.starting_after === 'string') {
      const at = all.findIndex((o) => o.id === params.starting_after);
      if (at < 0) throw missing(what, params.starting_after, 'starting_after');
      from = at + 1;
    } else if (typeof params.ending_before === 'string') {
      const at = all.findIndex((o) => o.id === params.ending_before);
      if (at < 0) throw missing(what, params.ending_before, 'ending_before');
      to = at;
      from = Math.max(0, at - limit);
    }
    const data = all.slice(from, Math.min(to, from + limit));
    const hasMore = typeof params.ending_before === 'string' ? from > 0 : from + data.length < to;
    return { object: 'list', data, has_more: hasMore, url };
  };

  const invoiceTotal = (invoice: StripeObject) =>
    [...invoiceItems.values()]
      .filter((item) => item.invoice === invoice.id)
      .reduce((sum, item) => sum + (item.amount as number), 0);

  const transition = (invoice: StripeObject, name: string) => {
    (invoice.status_transitions as Record<string, number | null>)[name] = now();
  };
  /** Paid (by the saved card or on the hosted page): the money is the platform's. */
  const settleInvoice = (invoice: StripeObject) => {
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0 });
    transition(invoice, 'paid_at');
    credit('platform', invoice.currency as string, invoice.amount_due as number);
    emit('invoice.payment_succeeded', invoice);
    emit('invoice.paid', invoice);
    return invoice;
  };
  // Stripe voids open and uncollectible invoices, and marks only open ones uncollectible.
  const voidInvoice = (invoice: StripeObject) => {
    if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
      throw invalid(
        `You can only void open or uncollectible invoices; this one is ${String(invoice.status)}.`,
        {
          code: 'invoice_not_editable',
        },
      );
    Object.assign(invoice, { status: 'void', amount_remaining: 0 });
    transition(invoice, 'voided_at');
    emit('invoice.voided', invoice);
    return invoice;
  };
  const markUncollectible = (invoice: StripeObject) => {
    if (invoice.status !== 'open')
      throw invalid(`You can only mark open invoices uncollectible; this one is ${String(invoice.status)}.`, {
        code: 'invoice_not_editable',
      });
    Object.assign(invoice, { status: 'uncollectible' });
    transition(invoice, 'marked_uncollectible_at');
    emit('invoice.marked_uncollectible', invoice);
    return invoice;
  };

  /** One API call, decided: the object answered, or a StripeApiError thrown. */
  function route(method: string, path: string, params: Record<string, unknown>, account: string | undefined) {
    const parts = path.split('/').filter(Boolean);
    // Namespaced resources (checkout/sessions) are one resource name.
    if (parts[1] === 'checkout') parts.splice(1, 2, `checkout/${parts[2] ?? ''}`);
    const [, resource, id, action] = parts;
    const key = `${method} ${resource ?? ''}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;
    switch (key) {
      case 'POST accounts': {
        const account: StripeObject = {
          id: newId('acct'),
          object: 'account',
          type: (params.type as string) ?? 'express',
          email: (params.email as string) ?? null,
          country: (params.country as string) ?? 'US',
          default_currency: 'usd',
          capabilities: { transfers: 'inactive' },
          charges_enabled: false,
          payouts_enabled: false,
          details_submitted: false,
          requirements: { currently_due: ['external_account', 'tos_acceptance.date', 'individual.dob.day'] },
          metadata: metadataOf(params),
          created: now(),
        };
        accounts.set(account.id, account);
        return account;
      }
      case 'GET accounts/:id':
        return get(accounts, 'account', id!);
      case 'POST account_links': {
        const target = get(accounts, 'account', stringParam(params, 'account'), 'account');
        stringParam(params, 'type');
        stringParam(params, 'return_url');
        return {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `https://connect.stripe.com/setup/e/${target.id}/${randomBytes(8).toString('hex')}`,
        };
      }
      case 'POST transfers': {
        const amount = amountParam(params, 'amount');
        if (amount === 0)
          throw invalid('This value must be greater than or equal to 1.', { param: 'amount' });
        const currency = stringParam(params, 'currency').toLowerCase();
        const destination = get(accounts, 'account', stringParam(params, 'destination'), 'destination');
        if ((destination.capabilities as { transfers: string }).transfers !== 'active') {
          throw invalid(
            'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
            { code: 'insufficient_capabilities_for_transfer', param: 'destination' },
          );
        }
        const available = balanceOf('platform').get(currency) ?? 0;
        if (amount > available) {
          throw invalid(
            'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Top-ups.',
            { code: 'balance_insufficient' },
          );
        }
        credit('platform', currency, -amount);
        credit(destination.id, currency, amount);
        const transfer: StripeObject = {
          id: newId('tr'),
          object: 'transfer',
          amount,
          amount_reversed: 0,
          currency,
          destination: destination.id,
          destination_payment: newId('py'),
          balance_transaction: newId('txn'),
          reversed: false,
          reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: '' },
          transfer_group: (params.transfer_group as string) ?? null,
          description: (params.description as string) ?? null,
          metadata: metadataOf(params),
          source_type: 'card',
          livemode: false,
          created: now(),
        };
        (transfer.reversals as { url: string }).url = `/v1/transfers/${transfer.id}/reversals`;
        transfers.set(transfer.id, transfer);
        emit('transfer.created', transfer);
        return transfer;
      }
      case 'GET transfers/:id':
        return get(transfers, 'transfer', id!);
      case 'GET transfers':
        return listOf(
          transfers,
          'transfer',
          '/v1/transfers',
          params,
          (t) =>
            (params.destination === undefined || t.destination === params.destination) &&
            (params.transfer_group === undefined || t.transfer_group === params.transfer_group),
        );
      case 'GET balance': {
        const owner = account ?? 'platform';
        const list = [...balanceOf(owner).entries()].map(([currency, amount]) => ({
          amount,
          currency,
          source_types: { card: amount },
        }));
        return {
          object: 'balance',
          available: list,
          pending: list.map((b) => ({ ...b, amount: 0, source_types: { card: 0 } })),
          livemode: false,
        };
      }
      case 'POST checkout/sessions': {
        stringParam(params, 'mode');
        const lines = (params.line_items as Record<string, unknown>[] | undefined) ?? [];
        if (lines.length === 0) throw required('line_items');
        let total = 0;
        let currency = '';
        for (const [i, line] of lines.entries()) {
          const priceData = line.price_data as Record<string, unknown> | undefined;
          if (!priceData) throw required(`line_items[${i}][price_data]`);
          total += amountParam(priceData, 'unit_amount') * Number(line.quantity ?? 1);
          currency = stringParam(priceData, 'currency').toLowerCase();
        }
        const session: StripeObject = {
          id: newId('cs_test'),
          object: 'checkout.session',
          mode: params.mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total: total,
          currency,
          client_reference_id: (params.client_reference_id as string) ?? null,
          metadata: metadataOf(params),
          success_url: (params.success_url as string) ?? null,
          cancel_url: (params.cancel_url as string) ?? null,
          payment_intent: null,
          url: '',
          livemode: false,
          created: now(),
          expires_at: now() + 24 * 3600,
        };
        session.url = `https://checkout.stripe.com/c/pay/${session.id}`;
        sessions.set(session.id, session);
        return session;
      }
      case 'GET checkout/sessions/:id':
        return get(sessions, 'checkout.session', id!);
      case 'GET checkout/sessions':
        return listOf(
          sessions,
          'checkout.session',
          '/v1/checkout/sessions',
          params,
          (s) => params.status === undefined || s.status === params.status,
        );
      case 'POST customers': {
        const customer: StripeObject = {
          id: newId('cus'),
          object: 'customer',
          name: (params.name as string) ?? null,
          email: (params.email as string) ?? null,
          metadata: metadataOf(params),
          created: now(),
        };
        customers.set(customer.id, customer);
        return customer;
      }
      case 'POST invoices': {
        const customer = get(customers, 'customer', stringParam(params, 'customer'), 'customer');
        const collection = (params.collection_method as string) ?? 'charge_automatically';
        if (collection === 'send_invoice' && params.days_until_due === undefined) {
          throw invalid('Missing required param: days_until_due.', {
            code: 'parameter_missing',
            param: 'days_until_due',
          });
        }
        const invoice: StripeObject = {
          id: newId('in'),
          object: 'invoice',
          customer: customer.id,
          currency: ((params.currency as string) ?? 'usd').toLowerCase(),
          collection_method: collection,
          days_until_due: params.days_until_due === undefined ? null : Number(params.days_until_due),
          auto_advance: params.auto_advance === 'true',
          status: 'draft',
          number: null,
          amount_due: 0,
          amount_paid: 0,
          amount_remaining: 0,
          total: 0,
          due_date: null,
          hosted_invoice_url: null,
          status_transitions: {
            finalized_at: null,
            marked_uncollectible_at: null,
            paid_at: null,
            voided_at: null,
          },
          metadata: metadataOf(params),
          livemode: false,
          created: now(),
        };
        invoices.set(invoice.id, invoice);
        return invoice;
      }
      case 'POST invoiceitems': {
        const customer = get(customers, 'customer', stringParam(params, 'customer'), 'customer');
        const invoiceId = params.invoice as string | undefined;
        if (invoiceId) {
          const invoice = get(invoices, 'invoice', invoiceId, 'invoice');
          if (invoice.status !== 'draft')
            throw invalid(`Invoice ${invoiceId} is not a draft and cannot take new items.`, {
              param: 'invoice',
            });
        }
        const item: StripeObject = {
          id: newId('ii'),
          object: 'invoiceitem',
          customer: customer.id,
          invoice: invoiceId ?? null,
          // Stripe takes negative items: they reduce the invoice (a credit).
          amount: signedAmountParam(params, 'amount'),
          currency: stringParam(params, 'currency').toLowerCase(),
          description: (params.description as string) ?? null,
          livemode: false,
          date: now(),
        };
        invoiceItems.set(item.id, item);
        return item;
      }
      case 'GET invoices/:id':
        return get(invoices, 'invoice', id!);
      case 'POST invoices/:id/finalize': {
        const invoice = get(invoices, 'invoice', id!);
        if (invoice.status !== 'draft')
          throw invalid(`This invoice is already finalized, you can't re-finalize a non-draft invoice.`, {
            code: 'invoice_not_editable',
          });
        const total = invoiceTotal(invoice);
        Object.assign(invoice, {
          status: 'open',
          number: `TASFAKE-${String(++invoiceNumber).padStart(4, '0')}`,
          amount_due: total,
          amount_remaining: total,
          total,
          due_date: now() + Number(invoice.days_until_due ?? 0) * 86_400,
          hosted_invoice_url: `https://invoice.stripe.com/i/${invoice.id}`,
        });
        transition(invoice, 'finalized_at');
        emit('invoice.finalized', invoice);
        return invoice;
      }
      case 'GET invoices': {
        // Newest first, as Stripe lists; `starting_after` continues below an id.
        const created = params.created as Record<string, string> | undefined;
        let list = [...invoices.values()]
          .filter((i) => !params.customer || i.customer === params.customer)
          .filter((i) => !params.status || i.status === params.status)
          .filter((i) => !created?.gte || (i.created as number) >= Number(created.gte))
          .reverse();
        const after = params.starting_after as string | undefined;
        if (after) list = list.slice(list.findIndex((i) => i.id === after) + 1);
        const limit = Math.min(Number(params.limit ?? 10), 100);
        return {
          object: 'list',
          url: '/v1/invoices',
          has_more: list.length > limit,
          data: list.slice(0, limit),
        };
      }
      case 'DELETE invoices/:id': {
        const invoice = get(invoices, 'invoice', id!);
        if (invoice.status !== 'draft')
          throw invalid('You can only delete draft invoices.', { code: 'invoice_not_editable' });
        invoices.delete(invoice.id);
        emit('invoice.deleted', invoice);
        return { id: invoice.id, object: 'invoice', deleted: true };
      }
      case 'POST invoices/:id/send': {
        const invoice = get(invoices, 'invoice', id!);
        if (invoice.collection_method !== 'send_invoice' || invoice.status !== 'open')
          throw invalid(
            "You can only manually send an invoice if its collection method is 'send_invoice' and it is open.",
            {
              code: 'invoice_not_editable',
            },
          );
        emit('invoice.sent', invoice);
        return invoice;
      }
      case 'POST invoices/:id/void':
        return voidInvoice(get(invoices, 'invoice', id!));
      case 'POST invoices/:id/mark_uncollectible':
        return markUncollectible(get(invoices, 'invoice', id!));
      case 'POST invoices/:id/pay': {
        const invoice = get(invoices, 'invoice', id!);
        if (invoice.status !== 'open')
          throw invalid(`Invoice is ${String(invoice.status)}, only open invoices can be paid.`, {
            code: 'invoice_not_editable',
          });
        if (knobs.declineCode) {
          emit('invoice.payment_failed', invoice);
          throw new StripeApiError(402, {
            type: 'card_error',
            code: 'card_declined',
            decline_code: knobs.declineCode,
            message: 'Your card was declined.',
          });
        }
        return settleInvoice(invoice);
      }
      default:
        throw new StripeApiError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). The Stripe fake knows only what TAS calls.`,
        });
    }
  }

  function answer(res: ServerResponse, { status, body }: Answer, headers: Record<string, string> = {}) {
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'request-id': `req_${randomBytes(7).toString('hex')}`,
        'stripe-version': Stripe.API_VERSION,
        ...headers,
      })
      .end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.fake');
    const method = req.method ?? 'GET';
    const raw = method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8');
    const params = parseStripeForm(raw);
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const idempotencyKey = header('idempotency-key');
    const account = header('stripe-account');
    requests.push({
      method,
      path: url.pathname,
      params,
      idempotencyKey,
      stripeAccount: account,
      authorization: header('authorization'),
    });

    const failure = knobs.failures.shift() ?? pathRule(url.pathname, false)?.action;
    if (typeof failure === 'number') {
      return answer(res, {
        status: failure,
        body: {
          error: {
            type: 'api_error',
            message: 'An unknown error occurred while processing this request (injected by the fake).',
          },
        },
      });
    }
    if (header('authorization') !== `Bearer ${secretKey}`) {
      const given = (header('authorization') ?? '').replace(/^Bearer /, '');
      return answer(res, {
        status: 401,
        body: {
          error: {
            type: 'invalid_request_error',
            message: given
              ? `Invalid API Key provided: ${given.slice(0, 8)}${'*'.repeat(8)}${given.slice(-4)}`
              : 'You did not provide an API key.',
          },
        },
      });
    }
    if (account && !accounts.has(account)) {
      return answer(res, {
        status: 403,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'account_invalid',
            message: `The provided key does not have access to account '${account}' (or that account does not exist).`,
          },
        },
      });
    }

    const scope = `${account ?? 'platform'} ${idempotencyKey}`;
    if (method === 'POST' && idempotencyKey) {
      const stored = idempotent.get(scope);
      if (stored) {
        if (stored.method !== method || stored.path !== url.pathname || stored.params !== canonical(params)) {
          return answer(res, {
            status: 400,
            body: {
              error: {
                type: 'idempotency_error',
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              },
            },
          });
        }
        // A replayed answer can be lost on the way too.
        if (pathRule(url.pathname, true)) {
          req.socket.destroy();
          return;
        }
        return answer(res, stored.answer, {
          'idempotent-replayed': 'true',
          'idempotency-key': idempotencyKey,
        });
      }
    }
    let result: Answer;
    try {
      result = { status: 200, body: route(method, url.pathname, params, account) };
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      result = { status: error.status, body: { error: error.error } };
    }
    // Stripe keeps the answer of every request that started executing, errors included.
    if (method === 'POST' && idempotencyKey) {
      idempotent.set(scope, { method, path: url.pathname, params: canonical(params), answer: result });
    }
    if (method === 'POST' && knobs.dropAfterCommit > 0) {
      knobs.dropAfterCommit--;
      req.socket.destroy();
      return;
    }
    if (method === 'POST' && pathRule(url.pathname, true)) {
      req.socket.destroy();
      return;
    }
    answer(res, result, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      answer(res, { status: 500, body: { error: { type: 'api_error', message: String(error) } } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  /** What Stripe would send to a webhook endpoint: the event's JSON and its Stripe-Signature. */
  const signed = (event: unknown, sign: { secret?: string; timestamp?: number } = {}) => {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: sign.secret ?? webhookSecret,
      ...(sign.timestamp !== undefined ? { timestamp: sign.timestamp } : {}),
    });
    return { body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    requests,
    events,
    transfers,
    /** Checkout Sessions by id, as Stripe holds them (a test may change or drop one). */
    sessions,
    accounts,
    invoices,
    /** The next `count` requests are answered `status` (500 or 503) without being executed. */
    failNext(count: number, status: 500 | 503 = 503) {
      for (let i = 0; i < count; i++) knobs.failures.push(status);
    },
    /** The next `count` POSTs are executed and kept for their key, but the answer never arrives. */
    dropResponsesAfterCommit(count: number) {
      knobs.dropAfterCommit = count;
    },
    /** The next `count` requests to a path ending with `suffix` (`/finalize`) fail unexecuted. */
    failRequestsTo(suffix: string, count = 1, status: 500 | 503 = 503) {
      knobs.onPath.push({ suffix, action: status, count });
    },
    /** The next `count` POSTs to a path ending with `suffix` are executed, but the answer is lost. */
    dropResponsesTo(suffix: string, count = 1) {
      knobs.onPath.push({ suffix, action: 'drop', count });
    },
    /** Saved cards are refused with this decline code (null: accepted again). */
    declineCards(declineCode: string | null = 'generic_decline') {
      knobs.declineCode = declineCode;
    },
    setPlatformBalance(currency: string, amount: number) {
      balanceOf('platform').set(currency.toLowerCase(), amount);
    },
    /** The affiliate finished Stripe's onboarding: transfers active, payouts enabled. */
    completeOnboarding(accountId: string) {
      const account = get(accounts, 'account', accountId);
      Object.assign(account, {
        capabilities: { transfers: 'active' },
        payouts_enabled: true,
        charges_enabled: true,
        details_submitted: true,
        requirements: { currently_due: [] },
      });
      return emit('account.updated', account, { account: accountId });
    },
    /** The advertiser paid on the hosted page. */
    completeCheckout(sessionId: string) {
      const session = get(sessions, 'checkout.session', sessionId);
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: newId('pi') });
      credit('platform', session.currency as string, session.amount_total as number);
      return emit('checkout.session.completed', session);
    },
    /** The customer paid an open (or uncollectible) invoice on its hosted page. */
    payInvoiceOnline(invoiceId: string) {
      const invoice = get(invoices, 'invoice', invoiceId);
      if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
        throw new Error(`invoice ${invoiceId} is ${String(invoice.status)}, not payable`);
      settleInvoice(invoice);
      return events.at(-1) as Stripe.Event;
    },
    /** An attempt to collect the invoice failed (a card or bank debit refused); it stays open. */
    failInvoicePayment(invoiceId: string) {
      return emit('invoice.payment_failed', get(invoices, 'invoice', invoiceId));
    },
    /** Someone voided the invoice in Stripe's dashboard. */
    voidInvoice(invoiceId: string) {
      voidInvoice(get(invoices, 'invoice', invoiceId));
      return events.at(-1) as Stripe.Event;
    },
    /** Someone marked the invoice uncollectible in Stripe's dashboard. */
    markInvoiceUncollectible(invoiceId: string) {
      markUncollectible(get(invoices, 'invoice', invoiceId));
      return events.at(-1) as Stripe.Event;
    },
    /** A transfer that went through is taken back (Stripe or the platform reversed it). */
    reverseTransfer(transferId: string) {
      const transfer = get(transfers, 'transfer', transferId);
      const amount = transfer.amount as number;
      const reversal = { id: newId('trr'), object: 'transfer_reversal', amount, transfer: transferId };
      Object.assign(transfer, {
        reversed: true,
        amount_reversed: amount,
        reversals: { object: 'list', data: [reversal], has_more: false, total_count: 1, url: '' },
      });
      credit(transfer.destination as string, transfer.currency as string, -amount);
      credit('platform', transfer.currency as string, amount);
      return emit('transfer.reversed', transfer);
    },
    /** The connected account's bank refused Stripe's payout (a Connect event, `account` set). */
    failPayout(accountId: string, amount: number, currency = 'usd') {
      get(accounts, 'account', accountId);
      const payout: StripeObject = {
        id: newId('po'),
        object: 'payout',
        amount,
        currency,
        status: 'failed',
        failure_code: 'account_closed',
        failure_message: 'The bank account has been closed.',
        created: now(),
      };
      payouts.set(payout.id, payout);
      return emit('payout.failed', payout, { account: accountId });
    },
    /** An event of the fake's, or any hand-made one, signed as Stripe signs webhooks. */
    signed,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
