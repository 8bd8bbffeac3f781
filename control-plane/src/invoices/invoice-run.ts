import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import {
  type BillingSettings,
  readBillingSettings,
  readBillingSettingsOf,
  saveStripeCustomer,
} from '../billing/billing-settings.ts';
import { type Database, queryRows } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { type Invoice, type InvoiceLineRecord, invoices } from '../db/schema/invoices.ts';
import { users } from '../db/schema/users.ts';
import { uuidV7 } from '../payouts/uuid-v7.ts';
import { type ProcessorDeps, requireStripe } from '../processors/processor-deps.ts';
import type { ProcessorFailure } from '../processors/processor-result.ts';
import {
  createCustomer,
  createPostpaidInvoice,
  deleteDraftInvoice,
  findInvoiceMadeFor,
  type PostpaidInvoice,
  sendInvoice,
} from '../processors/stripe/stripe-invoicing.ts';
import { invoiceFigures, offerCharges, owedAt } from './invoice-charges.ts';
import { type BillingPeriod, lastEndedPeriod } from './invoice-periods.ts';
import { invoiceStatusOf, movesForward } from './invoice-status.ts';

export type InvoiceRunDeps = {
  db: Database;
  processors: ProcessorDeps;
  now?: () => Date;
  /** How long after a period's end its movements are read (default 15 minutes); see lastEndedPeriod. */
  settleMs?: number;
};

export const DEFAULT_SETTLE_MS = 15 * 60_000;
/** Stripe forgets idempotency keys after 24 hours; past this, what was made is looked up instead. */
const STRIPE_KEY_TRUST_MS = 23 * 3_600_000;

/**
 * invoice: to be invoiced; nothing_due: the period's conversions net to nothing or less (more
 * reversed than charged: the credit stays on the balance and lowers a later invoice);
 * covered_by_balance: the advertiser's balance (prepaid funds, earlier credits) covers them.
 */
export type InvoiceOutcome = 'invoice' | 'nothing_due' | 'covered_by_balance';

export type InvoiceDecision = {
  advertiserId: number;
  advertiserName: string;
  currency: string;
  period: string;
  periodStart: Date;
  periodEnd: Date;
  key: string;
  chargesMinor: number;
  amountMinor: number;
  lines: InvoiceLineRecord[];
  daysUntilDue: number;
  outcome: InvoiceOutcome;
};

/** At most one invoice per advertiser, currency and period: the row's unique key. */
export const invoiceKey = (advertiserId: number, currency: string, period: string) =>
  `invoice:advertiser:${advertiserId}:${currency}:${period}`;

type Candidate = {
  advertiserId: number;
  advertiserName: string;
  currency: string;
  settings: BillingSettings;
  period: BillingPeriod;
};

/**
 * What one advertiser's account owes for its last ended period. The window starts where its
 * previous invoice ended (so invoices never overlap, and a period missed while the control plane
 * was down, or a net-credit one that was skipped, is carried into the next), or at the period's
 * start for the first invoice: what was owed before TAS invoiced is not billed by it. Null when
 * the period is invoiced already or nothing moved.
 */
async function decide(db: Database, candidate: Candidate): Promise<InvoiceDecision | null> {
  const { advertiserId, currency, period } = candidate;
  const key = invoiceKey(advertiserId, currency, period.name);
  const [previous] = await queryRows<{ taken: boolean; last_end: Date | string | null }>(
    db,
    sql`SELECT bool_or(key = ${key}) AS taken, max(period_end) AS last_end FROM invoices
        WHERE advertiser_id = ${advertiserId} AND currency = ${currency}`,
  );
  if (previous?.taken) return null;
  const start = previous?.last_end ? new Date(previous.last_end) : period.start;
  if (start >= period.end) return null;
  const charges = await offerCharges(db, { advertiserId, currency, start, end: period.end });
  if (charges.length === 0) return null;
  const gross = charges.reduce((sum, c) => sum + c.chargedMinor + c.reversedMinor, 0);
  // What the balance leaves owing: owed at the end, less what earlier invoices not yet paid ask.
  let uncovered = gross;
  if (gross > 0) {
    const [unpaid] = await queryRows<{ asked: number | string | null }>(
      db,
      sql`SELECT sum(amount_minor) AS asked FROM invoices
          WHERE advertiser_id = ${advertiserId} AND currency = ${currency}
            AND status IN ('draft', 'open', 'uncollectible')`,
    );
    uncovered = (await owedAt(db, advertiserId, currency, period.end)) - Number(unpaid?.asked ?? 0);
  }
  const figures = invoiceFigures(charges, uncovered);
  if (figures.chargesMinor === 0 && figures.amountMinor === 0) return null;
  return {
    advertiserId,
    advertiserName: candidate.advertiserName,
    currency,
    period: period.name,
    periodStart: start,
    periodEnd: period.end,
    key,
    ...figures,
    daysUntilDue: candidate.settings.netTermsDays,
    outcome:
      figures.amountMinor > 0 ? 'invoice' : figures.chargesMinor <= 0 ? 'nothing_due' : 'covered_by_balance',
  };
}

/**
 * Every postpaid advertiser's account, with the last period of its terms that has ended. Only
 * advertisers an admin gave terms: one without is billed outside TAS, so turning Stripe on never
 * sends invoices nobody chose to send.
 */
async function candidates(deps: InvoiceRunDeps, advertiserId?: number): Promise<Candidate[]> {
  const now = deps.now?.() ?? new Date();
  const accounts = await queryRows<{ advertiser_id: number; name: string; currency: string }>(
    deps.db,
    sql`SELECT v.id AS advertiser_id, v.company_name AS name, a.currency
        FROM ledger_accounts a JOIN advertisers v ON a.owner_id = v.id::text
        WHERE a.kind = 'advertiser' ${advertiserId === undefined ? sql`` : sql`AND v.id = ${advertiserId}`}
        ORDER BY v.id, a.currency`,
  );
  const settings = await readBillingSettingsOf(deps.db, [...new Set(accounts.map((a) => a.advertiser_id))]);
  return accounts.flatMap((a) => {
    const terms = settings.get(a.advertiser_id);
    if (terms?.mode !== 'postpaid' || !terms.termsSaved) return [];
    return [
      {
        advertiserId: a.advertiser_id,
        advertiserName: a.name,
        currency: a.currency.trim(),
        settings: terms,
        period: lastEndedPeriod(now, terms.invoicePeriod, deps.settleMs ?? DEFAULT_SETTLE_MS),
      },
    ];
  });
}

/**
 * Who would be invoiced what if invoicing ran now (and who has nothing due), for every postpaid
 * advertiser whose period has ended without an invoice. Reads only.
 */
export async function invoiceDecisions(
  deps: InvoiceRunDeps,
  advertiserId?: number,
): Promise<InvoiceDecision[]> {
  const decisions: InvoiceDecision[] = [];
  for (const candidate of await candidates(deps, advertiserId)) {
    const decision = await decide(deps.db, candidate);
    if (decision) decisions.push(decision);
  }
  return decisions;
}

/**
 * Records the invoice of one candidate: under a lock on the advertiser's ledger account (the
 * window starts where the last invoice ended, so two runs must not both take it), decided again
 * as the ledger is now, inserted under its unique key. Null when there is nothing to invoice or
 * another run got there first.
 */
async function recordInvoice(deps: InvoiceRunDeps, candidate: Candidate): Promise<Invoice | null> {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction(async (tx) => {
    await queryRows(
      tx,
      sql`SELECT id FROM ledger_accounts
          WHERE kind = 'advertiser' AND owner_id = ${String(candidate.advertiserId)} AND currency = ${candidate.currency}
          FOR UPDATE`,
    );
    const decision = await decide(tx, candidate);
    if (decision?.outcome !== 'invoice') return null;
    const [row] = await tx
      .insert(invoices)
      .values({
        id: uuidV7(now.getTime()),
        advertiserId: decision.advertiserId,
        currency: decision.currency,
        period: decision.period,
        periodStart: decision.periodStart,
        periodEnd: decision.periodEnd,
        key: decision.key,
        chargesMinor: decision.chargesMinor,
        amountMinor: decision.amountMinor,
        lines: decision.lines,
        daysUntilDue: decision.daysUntilDue,
        stripeKey: decision.key,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  });
}

export type IssueResult = { invoice: Invoice; failure: ProcessorFailure | null };

const needsStripe = or(
  and(eq(invoices.status, 'draft'), isNull(invoices.stripeInvoiceId)),
  and(eq(invoices.status, 'open'), isNull(invoices.sentAt)),
);

/**
 * Takes one recorded invoice as far as Stripe allows: the advertiser's customer (made once,
 * remembered in its billing settings), the invoice with its lines, finalized (keys derived from
 * the invoice's), then sent. The row is held (FOR UPDATE SKIP LOCKED) throughout, so two runs
 * never work on one invoice at once. Past Stripe's 24 hours of idempotency, what an earlier attempt
 * made is looked up by its metadata (`tas_invoice_id`) and taken over, or, a draft, deleted and
 * made again under new keys. Null when the invoice needs nothing or another run holds it.
 */
export async function issueInvoice(deps: InvoiceRunDeps, invoiceId: string): Promise<IssueResult | null> {
  const stripe = requireStripe(deps.processors).client;
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, invoiceId), needsStripe))
      .for('update', { skipLocked: true });
    if (!row) return null;
    const save = async (values: Partial<Invoice>) => {
      const [saved] = await tx
        .update(invoices)
        .set({ ...values, attempts: row.attempts + 1, updatedAt: now })
        .where(eq(invoices.id, row.id))
        .returning();
      return saved ?? row;
    };
    const fail = async (failure: ProcessorFailure, values: Partial<Invoice> = {}) => ({
      invoice: await save({ ...values, failure: `${failure.kind}: ${failure.message}`.slice(0, 500) }),
      failure,
    });

    const customerId = row.stripeCustomerId ?? (await ensureCustomer(tx, deps, row.advertiserId));
    if (typeof customerId !== 'string') return fail(customerId);

    let made: PostpaidInvoice | null = null;
    let stripeKey = row.stripeKey;
    let since = row.stripeKeySince ?? row.createdAt;
    if (!row.stripeInvoiceId) {
      if (now.getTime() - since.getTime() > STRIPE_KEY_TRUST_MS) {
        const found = await findInvoiceMadeFor(stripe, { customerId, tasInvoiceId: row.id });
        if (!found.ok) return fail(found.failure, { stripeCustomerId: customerId });
        if (found.value && found.value.status !== 'draft') made = found.value;
        else {
          // A draft half made under keys Stripe no longer knows: start again under new keys.
          if (found.value) {
            const deleted = await deleteDraftInvoice(stripe, found.value.id);
            if (!deleted.ok) return fail(deleted.failure, { stripeCustomerId: customerId });
          }
          stripeKey = `${row.key}:${now.getTime()}`;
          since = now;
        }
      }
      if (!made) {
        const created = await createPostpaidInvoice(stripe, {
          customerId,
          currency: row.currency,
          lines: row.lines.map((l) => ({ amountMinor: l.amountMinor, description: l.description })),
          daysUntilDue: row.daysUntilDue,
          idempotencyKey: stripeKey,
          metadata: { tas_invoice_id: row.id, advertiser_id: String(row.advertiserId), period: row.period },
        });
        if (!created.ok)
          return fail(created.failure, { stripeCustomerId: customerId, stripeKey, stripeKeySince: since });
        made = created.value;
      }
    }
    const madeStatus = made ? invoiceStatusOf(made.status) : null;
    const recorded = made
      ? {
          stripeInvoiceId: made.id,
          stripeInvoiceNumber: made.number,
          hostedInvoiceUrl: made.hostedInvoiceUrl,
          dueAt: made.dueDate,
          // Only webhooks say paid (they post the ledger); a voided or uncollectible one is news too.
          status:
            madeStatus === 'void' || madeStatus === 'uncollectible'
              ? madeStatus
              : movesForward(row.status, 'open')
                ? ('open' as const)
                : row.status,
          ...(madeStatus !== 'open' ? { sentAt: row.sentAt ?? now } : {}),
        }
      : {};
    const invoiceIdAtStripe = made?.id ?? row.stripeInvoiceId;
    const mismatch =
      made && made.amountDueMinor !== row.amountMinor
        ? `Stripe's invoice asks ${made.amountDueMinor}, not ${row.amountMinor}.`
        : null;
    if (invoiceIdAtStripe && (made ? madeStatus === 'open' : row.status === 'open') && !row.sentAt) {
      const sent = await sendInvoice(stripe, {
        invoiceId: invoiceIdAtStripe,
        idempotencyKey: `${stripeKey}_send`,
      });
      if (!sent.ok)
        return fail(sent.failure, {
          ...recorded,
          stripeCustomerId: customerId,
          stripeKey,
          stripeKeySince: since,
        });
      return {
        invoice: await save({
          ...recorded,
          stripeCustomerId: customerId,
          stripeKey,
          stripeKeySince: since,
          sentAt: now,
          failure: mismatch,
        }),
        failure: null,
      };
    }
    return {
      invoice: await save({
        ...recorded,
        stripeCustomerId: customerId,
        stripeKey,
        stripeKeySince: since,
        failure: mismatch,
      }),
      failure: null,
    };
  });
}

/** The advertiser's Stripe customer, made on its first invoice; a failure when Stripe refused. */
async function ensureCustomer(
  tx: Database,
  deps: InvoiceRunDeps,
  advertiserId: number,
): Promise<string | ProcessorFailure> {
  const settings = await readBillingSettings(tx, advertiserId);
  if (settings.stripeCustomerId) return settings.stripeCustomerId;
  const [advertiser] = await tx
    .select({ name: advertisers.companyName, contactEmail: advertisers.contactEmail, userEmail: users.email })
    .from(advertisers)
    .leftJoin(users, eq(users.id, advertisers.userId))
    .where(eq(advertisers.id, advertiserId));
  const customer = await createCustomer(requireStripe(deps.processors).client, {
    advertiserId,
    name: advertiser?.name ?? `Advertiser ${advertiserId}`,
    // Stripe emails send_invoice invoices to the customer's address.
    email: advertiser?.contactEmail ?? advertiser?.userEmail ?? undefined,
  });
  if (!customer.ok) return customer.failure;
  await saveStripeCustomer(tx, advertiserId, customer.value.id);
  return customer.value.id;
}

/**
 * Takes every recorded invoice that Stripe has not finished (made, finalized, sent) as far as it
 * goes, oldest first; stops at the first answer that says Stripe cannot be reached (the next run
 * resumes).
 */
export async function issuePendingInvoices(deps: InvoiceRunDeps): Promise<IssueResult[]> {
  const pending = await deps.db
    .select({ id: invoices.id })
    .from(invoices)
    .where(needsStripe)
    .orderBy(asc(invoices.id));
  const results: IssueResult[] = [];
  for (const { id } of pending) {
    const result = await issueInvoice(deps, id);
    if (!result) continue;
    results.push(result);
    if (result.failure?.retryable) break;
  }
  return results;
}

export type InvoiceRunResult = {
  dryRun: boolean;
  /** Who is (or would be) invoiced what, and who has nothing due, as decided at the start. */
  decisions: InvoiceDecision[];
  /** Invoices taken to Stripe by this run (those recorded now and any left unfinished before). */
  issued: IssueResult[];
};

/**
 * An invoicing run (decision 025): for every postpaid advertiser whose period has ended without
 * an invoice, the invoice row first (its key unique: once per advertiser, currency and period),
 * then Stripe, every step keyed from the row. A dry run decides and writes nothing. Rerunning
 * after a crash or an outage finishes what was started and makes nothing twice.
 */
export async function runInvoicing(
  deps: InvoiceRunDeps,
  options: { dryRun: boolean; advertiserId?: number | undefined },
): Promise<InvoiceRunResult> {
  const all = await candidates(deps, options.advertiserId);
  const decisions: InvoiceDecision[] = [];
  for (const candidate of all) {
    const decision = await decide(deps.db, candidate);
    if (decision) decisions.push(decision);
  }
  if (options.dryRun) return { dryRun: true, decisions, issued: [] };
  requireStripe(deps.processors);
  const due = new Set(decisions.filter((d) => d.outcome === 'invoice').map((d) => d.key));
  for (const candidate of all) {
    if (due.has(invoiceKey(candidate.advertiserId, candidate.currency, candidate.period.name)))
      await recordInvoice(deps, candidate);
  }
  return { dryRun: false, decisions, issued: await issuePendingInvoices(deps) };
}
