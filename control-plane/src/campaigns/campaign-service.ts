import { campaignServing, MAX_CAMPAIGNS_PER_OFFER } from '@tas/shared/campaign-serving';
import { entityIdSchema } from '@tas/shared/ids';
import { currencySchema, minorUnitsSchema } from '@tas/shared/money';
import { and, count, eq, ne, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { ownerOfNew } from '../accounts/owner-of-new.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { type Campaign, campaigns } from '../db/schema/campaigns.ts';
import { offers } from '../db/schema/offers.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { campaignAtEdge } from './campaign-at-edge.ts';
import { publishOffers, refreshBudgetState } from './campaign-budget-state.ts';
import { budgetInOtherCurrency, currencyMismatch, offerCurrencies } from './campaign-currency.ts';

export type CampaignDeps = { db: Database; edge: EdgePublisher; now?: () => Date };

const campaignStatusSchema = z.enum(['draft', 'active', 'paused', 'completed']);
const dateSchema = z.iso.date().describe('A calendar date, YYYY-MM-DD (UTC)');
const budget = minorUnitsSchema.min(0).describe('Minor units of the campaign currency');
const campaignCurrencySchema = currencySchema.describe(
  "The currency of the budgets: the offer's, which conversions' revenue is counted in (another is refused with currency_mismatch)",
);

const fields = {
  offerId: entityIdSchema.nullable().describe("The offer the campaign promotes (one of the advertiser's)"),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).nullable(),
  status: campaignStatusSchema,
  startDate: dateSchema.nullable(),
  endDate: dateSchema.nullable(),
  budgetMinor: budget.nullable().describe('Total budget; null: none'),
  dailyBudgetMinor: budget.nullable().describe('Budget per UTC day; null: none'),
  currency: campaignCurrencySchema,
};

const scheduleIsOrdered = (c: { startDate?: string | null; endDate?: string | null }) =>
  !c.startDate || !c.endDate || c.startDate <= c.endDate;
const dailyWithinTotal = (c: { budgetMinor?: number | null; dailyBudgetMinor?: number | null }) =>
  c.budgetMinor == null || c.dailyBudgetMinor == null || c.dailyBudgetMinor <= c.budgetMinor;

export const campaignCreateRequestSchema = z
  .object({
    advertiserId: entityIdSchema.optional().describe('Required for admins; advertisers create their own'),
    offerId: fields.offerId.optional(),
    name: fields.name,
    description: fields.description.optional(),
    status: campaignStatusSchema.default('draft'),
    startDate: fields.startDate.optional(),
    endDate: fields.endDate.optional(),
    budgetMinor: fields.budgetMinor.optional(),
    dailyBudgetMinor: fields.dailyBudgetMinor.optional(),
    currency: campaignCurrencySchema
      .optional()
      .describe("Default: the offer's currency; without an offer, USD"),
  })
  .refine(scheduleIsOrdered, { message: 'endDate must not be before startDate', path: ['endDate'] })
  .refine(dailyWithinTotal, {
    message: 'dailyBudgetMinor must not exceed budgetMinor',
    path: ['dailyBudgetMinor'],
  })
  .meta({ id: 'CampaignCreateRequest' });

export const campaignUpdateRequestSchema = z
  .object(fields)
  .partial()
  .refine(scheduleIsOrdered, { message: 'endDate must not be before startDate', path: ['endDate'] })
  .refine(dailyWithinTotal, {
    message: 'dailyBudgetMinor must not exceed budgetMinor',
    path: ['dailyBudgetMinor'],
  })
  .meta({ id: 'CampaignUpdateRequest' });

export const campaignResponseSchema = z
  .object({
    id: z.number().int(),
    advertiserId: z.number().int(),
    offerId: z.number().int().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    status: campaignStatusSchema,
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    budgetMinor: z.number().int().nullable(),
    dailyBudgetMinor: z.number().int().nullable(),
    currency: z.string(),
    budgetSpentAt: z.iso
      .datetime()
      .nullable()
      .describe('When approved spend reached the total budget; null while it has not'),
    dailyBudgetSpentOn: z.iso
      .date()
      .nullable()
      .describe('The last UTC day on which approved spend reached the daily budget'),
    serving: z
      .enum(['serving', 'campaign_inactive', 'budget_reached', 'currency_mismatch'])
      .describe(
        "Whether the edge sends its creatives' clicks to the offer now; otherwise they go to the fallback with " +
          'this reason. currency_mismatch: the campaign has a budget in another currency than its offer, which ' +
          "cannot be enforced, so it is held (the edge records campaign_inactive) until its currency is set to the offer's",
      ),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Campaign' });

/** `offerCurrency`: the currency of the campaign's offer (undefined without one). */
export function campaignResponse(
  c: Campaign,
  offerCurrency: string | undefined,
  now = new Date(),
): z.infer<typeof campaignResponseSchema> {
  return {
    id: c.id,
    advertiserId: c.advertiserId,
    offerId: c.offerId,
    name: c.name,
    description: c.description,
    status: c.status,
    startDate: c.startDate,
    endDate: c.endDate,
    budgetMinor: c.budgetMinor,
    dailyBudgetMinor: c.dailyBudgetMinor,
    currency: c.currency,
    budgetSpentAt: c.budgetSpentAt?.toISOString() ?? null,
    dailyBudgetSpentOn: c.dailyBudgetSpentOn,
    serving: budgetInOtherCurrency(c, offerCurrency)
      ? 'currency_mismatch'
      : campaignServing(campaignAtEdge(c, [], offerCurrency), now),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Campaigns as answered, each with what its offer's currency says of it. */
export async function campaignResponses(db: Database, rows: Campaign[], now: Date) {
  const currencies = await offerCurrencies(
    db,
    rows.map((r) => r.offerId),
  );
  return rows.map((r) =>
    campaignResponse(r, r.offerId === null ? undefined : currencies.get(r.offerId), now),
  );
}

/** Admins see every campaign, advertisers their own; affiliates none (routes refuse them). */
export function campaignScope(principal: Principal): SQL | undefined {
  return principal.role === 'admin' ? undefined : eq(campaigns.advertiserId, principal.advertiserId ?? -1);
}

export async function visibleCampaign(db: Database, principal: Principal, id: number): Promise<Campaign> {
  return oneOrNotFound(
    db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, id), campaignScope(principal))),
    `Campaign ${id}`,
  );
}

export function listCampaigns(
  db: Database,
  principal: Principal,
  page: { limit: number; after?: number | undefined },
) {
  return keysetPage(db.select().from(campaigns).$dynamic(), campaigns.id, page, campaignScope(principal));
}

/** A campaign's offer must belong to the campaign's advertiser. Returns the offer's currency. */
async function assertOfferOf(
  db: Database,
  advertiserId: number,
  offerId: number | null | undefined,
): Promise<string | undefined> {
  if (!offerId) return undefined;
  const [offer] = await db
    .select({ advertiserId: offers.advertiserId, currency: offers.currency })
    .from(offers)
    .where(eq(offers.id, offerId));
  if (!offer || offer.advertiserId !== advertiserId) {
    throw new ApiError('invalid_request', `Offer ${offerId} is not an offer of advertiser ${advertiserId}.`);
  }
  return offer.currency;
}

/**
 * An offer's configuration at the edge carries its campaigns, up to a limit; past it the edge would
 * refuse the configuration, so the API refuses the campaign. The offer row is locked so that
 * concurrent creations count one after the other.
 */
async function assertRoomForCampaign(tx: Database, offerId: number, exceptCampaignId: number | null) {
  await tx.select({ id: offers.id }).from(offers).where(eq(offers.id, offerId)).for('update');
  const [row] = await tx
    .select({ n: count() })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.offerId, offerId),
        exceptCampaignId === null ? undefined : ne(campaigns.id, exceptCampaignId),
      ),
    );
  if ((row?.n ?? 0) >= MAX_CAMPAIGNS_PER_OFFER) {
    throw new ApiError(
      'conflict',
      `Offer ${offerId} already has ${MAX_CAMPAIGNS_PER_OFFER} campaigns, the most it may have.`,
    );
  }
}

export async function createCampaign(
  { db, edge }: CampaignDeps,
  principal: Principal,
  input: z.output<typeof campaignCreateRequestSchema>,
): Promise<Campaign> {
  const advertiserId = await ownerOfNew(
    db,
    principal,
    'advertiser',
    input.advertiserId,
    'Advertisers create campaigns for themselves only.',
  );
  const offerCurrency = await assertOfferOf(db, advertiserId, input.offerId);
  const currency = input.currency ?? offerCurrency ?? 'USD';
  if (input.offerId && offerCurrency !== undefined && currency !== offerCurrency) {
    throw currencyMismatch(currency, input.offerId, offerCurrency);
  }
  return db.transaction(async (tx) => {
    if (input.offerId) await assertRoomForCampaign(tx, input.offerId, null);
    const [row] = await tx
      .insert(campaigns)
      .values({ ...input, currency, advertiserId })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await publishOffers(tx, edge, row.offerId === null ? [] : [row.offerId]);
    return row;
  });
}

export async function updateCampaign(
  { db, edge, now }: CampaignDeps,
  principal: Principal,
  id: number,
  patch: z.output<typeof campaignUpdateRequestSchema>,
): Promise<Campaign> {
  await visibleCampaign(db, principal, id);
  return db.transaction(async (tx) => {
    // Read again under a row lock: two changes of one campaign (say, moves to two offers) apply
    // one after the other, and each republishes the offer the campaign really left.
    const before = await oneOrNotFound(
      tx.select().from(campaigns).where(eq(campaigns.id, id)).for('update'),
      `Campaign ${id}`,
    );
    const merged = { ...before, ...patch };
    if (!scheduleIsOrdered(merged))
      throw new ApiError('invalid_request', 'endDate must not be before startDate.');
    if (!dailyWithinTotal(merged))
      throw new ApiError('invalid_request', 'dailyBudgetMinor must not exceed budgetMinor.');
    await assertOfferOf(tx, before.advertiserId, patch.offerId);
    // Only a change of what concerns money must agree with the offer: a campaign stored apart
    // from its offer before the rule can still be paused, renamed or rescheduled.
    const touchesMoney =
      patch.offerId !== undefined ||
      patch.currency !== undefined ||
      patch.budgetMinor !== undefined ||
      patch.dailyBudgetMinor !== undefined;
    if (touchesMoney && merged.offerId !== null) {
      const offerCurrency = (await offerCurrencies(tx, [merged.offerId])).get(merged.offerId);
      if (offerCurrency !== undefined && merged.currency !== offerCurrency) {
        throw currencyMismatch(merged.currency, merged.offerId, offerCurrency);
      }
    }
    if (patch.offerId && patch.offerId !== before.offerId) await assertRoomForCampaign(tx, patch.offerId, id);
    await oneOrNotFound(
      tx.update(campaigns).set(patch).where(eq(campaigns.id, id)).returning(),
      `Campaign ${id}`,
    );
    // A new budget may already be spent, or no longer; the edge learns either way, with the
    // campaign's new schedule and status, on the offer it left and the one it joined.
    await refreshBudgetState(tx, [id], now?.() ?? new Date());
    const [row] = await tx.select().from(campaigns).where(eq(campaigns.id, id));
    if (!row) throw new Error('campaign vanished inside its transaction');
    const offerIds = [...new Set([before.offerId, row.offerId])].filter((o): o is number => o !== null);
    await publishOffers(tx, edge, offerIds);
    return row;
  });
}
