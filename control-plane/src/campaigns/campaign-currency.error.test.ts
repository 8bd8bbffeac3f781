import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { campaigns } from '../db/schema/campaigns.ts';

/*
 * A campaign's budgets are compared with the revenue of its approved conversions, which is in its
 * offer's currency: a budget in any other currency would never be reached.
 */
describe.each(testDatabases)('campaign currency against its offer on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let advertiser: Session;
  let usd: { id: number };
  let eur: { id: number };
  const published: ConfigPublishRequest[] = [];
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, {
      edge: { ...acceptingEdge, publish: async (request) => void published.push(request) },
    });
    advertiser = await signUp(app, 'advertiser');
    usd = await apiOffer(app, advertiser, { currency: 'USD' });
    eur = await apiOffer(app, advertiser, { currency: 'EUR' });
  });
  afterAll(() => handle.close());

  const total = async () => (await handle.db.select({ n: count() }).from(campaigns))[0]?.n ?? 0;
  const post = (body: Record<string, unknown>) =>
    call(app, 'POST', '/api/v1/campaigns', { token: advertiser.accessToken, body: { name: 'C', ...body } });
  const patch = (id: number, body: Record<string, unknown>) =>
    call(app, 'PATCH', `/api/v1/campaigns/${id}`, { token: advertiser.accessToken, body });
  const get = async (id: number) =>
    (await (await call(app, 'GET', `/api/v1/campaigns/${id}`, { token: advertiser.accessToken })).json()) as {
      currency: string;
      serving: string;
    };
  /** The campaign as the newest configuration published for its offer carries it. */
  const atEdge = (offerId: number, campaignId: number) =>
    published
      .flatMap((p) => p.upsert?.offers ?? [])
      .filter((o) => o.id === offerId)
      .at(-1)
      ?.campaigns?.find((c) => c.id === campaignId);

  it('refuses a campaign in another currency than its offer, and takes the offer currency by default', async () => {
    const before = await total();
    const refused = await post({ offerId: usd.id, currency: 'EUR', budgetMinor: 10_000 });
    expect([refused.status, await errorCode(refused)]).toEqual([409, 'currency_mismatch']);
    expect(await total()).toBe(before);

    const defaulted = await post({ offerId: eur.id, budgetMinor: 10_000 });
    expect(defaulted.status).toBe(201);
    expect(await defaulted.json()).toMatchObject({ currency: 'EUR' });
    const same = await post({ offerId: eur.id, currency: 'EUR' });
    expect(same.status).toBe(201);
    // Without an offer there is nothing to compare with yet.
    expect((await post({ currency: 'GBP' })).status).toBe(201);
  });

  it('refuses a change that would leave a campaign in another currency than its offer', async () => {
    const created = (await (await post({ offerId: usd.id, budgetMinor: 5_000 })).json()) as { id: number };
    for (const body of [{ currency: 'EUR' }, { offerId: eur.id }, { offerId: eur.id, budgetMinor: 7_000 }]) {
      const response = await patch(created.id, body);
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        409,
        'currency_mismatch',
      ]);
    }
    expect(await get(created.id)).toMatchObject({ currency: 'USD' });
    // Moving to the EUR offer with the budget restated in EUR is one consistent change.
    const moved = await patch(created.id, { offerId: eur.id, currency: 'EUR' });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ offerId: eur.id, currency: 'EUR' });

    const loose = (await (await post({ currency: 'USD' })).json()) as { id: number };
    const attached = await patch(loose.id, { offerId: eur.id });
    expect([attached.status, await errorCode(attached)]).toEqual([409, 'currency_mismatch']);
  });

  it('holds a budgeted campaign left in another currency than its offer, until its currency is set', async () => {
    // As stored before the rule: a EUR budget on the USD offer, never reached.
    const [legacy] = await handle.db
      .insert(campaigns)
      .values({
        advertiserId: advertiser.advertiserId!,
        offerId: usd.id,
        name: 'Legacy',
        status: 'draft',
        currency: 'EUR',
        budgetMinor: 1_000,
      })
      .returning();
    const id = legacy!.id;
    // Still pausable and resumable: only the fields that concern money are refused.
    const resumed = await patch(id, { status: 'active' });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ status: 'active', serving: 'currency_mismatch' });
    expect(atEdge(usd.id, id)).toMatchObject({ stopped: 'not_active' });

    const fixed = await patch(id, { currency: 'USD' });
    expect(fixed.status).toBe(200);
    expect(await fixed.json()).toMatchObject({ currency: 'USD', serving: 'serving' });
    expect(atEdge(usd.id, id)).toMatchObject({ stopped: null });
  });

  it('lets a campaign without a budget serve whatever its currency says', async () => {
    const [legacy] = await handle.db
      .insert(campaigns)
      .values({
        advertiserId: advertiser.advertiserId!,
        offerId: usd.id,
        name: 'No budget',
        status: 'active',
        currency: 'EUR',
      })
      .returning();
    expect(await get(legacy!.id)).toMatchObject({ serving: 'serving' });
  });
});
