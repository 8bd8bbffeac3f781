import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/advertisers/{id}/billing on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;

  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, { edge: recorder.edge });
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  const billing = (session: Session, advertiserId: number) =>
    call(app, 'GET', `/api/v1/advertisers/${advertiserId}/billing`, { token: session.accessToken });

  it('shows an advertiser without terms the defaults (postpaid, monthly, net 30, no limit) as not saved: billed outside TAS, never stopped', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const response = await billing(advertiser, advertiser.advertiserId!);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      advertiserId: advertiser.advertiserId,
      mode: 'postpaid',
      creditLimitByCurrency: {},
      lowBalanceByCurrency: {},
      invoicePeriod: 'monthly',
      netTermsDays: 30,
      stripeCustomerId: null,
      termsSaved: false,
      funds: [],
    });
    await apiOffer(app, advertiser, { visibility: 'public' });
    expect(
      ((await (await billing(advertiser, advertiser.advertiserId!)).json()) as { funds: unknown[] }).funds,
    ).toEqual([
      {
        currency: 'USD',
        balanceMinor: 0,
        pendingHoldsMinor: 0,
        creditLimitMinor: null,
        lowBalanceMinor: null,
        availableMinor: null,
        state: 'available',
        stoppedAtEdge: false,
      },
    ]);
  });

  it('saves terms an admin sets, shows them to the advertiser, and stops a prepaid advertiser without money at once', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const offer = await apiOffer(app, advertiser, { visibility: 'public' });
    const terms = {
      mode: 'prepaid',
      creditLimitByCurrency: {},
      lowBalanceByCurrency: { USD: 10_000 },
      invoicePeriod: 'weekly',
      netTermsDays: 14,
    };
    const saved = await call(app, 'PUT', `/api/v1/advertisers/${advertiser.advertiserId}/billing`, {
      token: admin.accessToken,
      body: terms,
    });
    expect(saved.status).toBe(200);
    const body = await saved.json();
    expect(body).toMatchObject({ advertiserId: advertiser.advertiserId, ...terms, termsSaved: true });
    expect((body as { funds: unknown[] }).funds).toEqual([
      {
        currency: 'USD',
        balanceMinor: 0,
        pendingHoldsMinor: 0,
        creditLimitMinor: null,
        lowBalanceMinor: 10_000,
        availableMinor: 0,
        state: 'exhausted',
        stoppedAtEdge: true,
      },
    ]);
    const published = recorder.received
      .flatMap((p) => p.upsert?.offers ?? [])
      .filter((o) => o.id === offer.id);
    expect(published.at(-1)?.fundsStopped).toBe(true);

    const read = await billing(advertiser, advertiser.advertiserId!);
    expect(await read.json()).toEqual(body);
    // Admins read any advertiser's.
    expect(await (await billing(admin, advertiser.advertiserId!)).json()).toEqual(body);

    // Back to postpaid without a limit: served again, the terms replaced whole.
    const back = await call(app, 'PUT', `/api/v1/advertisers/${advertiser.advertiserId}/billing`, {
      token: admin.accessToken,
      body: { ...terms, mode: 'postpaid', lowBalanceByCurrency: {}, creditLimitByCurrency: { EUR: 50_000 } },
    });
    expect(await back.json()).toMatchObject({
      mode: 'postpaid',
      creditLimitByCurrency: { EUR: 50_000 },
      lowBalanceByCurrency: {},
      funds: [expect.objectContaining({ currency: 'USD', state: 'available', stoppedAtEdge: false })],
    });
    const republished = recorder.received
      .flatMap((p) => p.upsert?.offers ?? [])
      .filter((o) => o.id === offer.id);
    expect(republished.at(-1)?.fundsStopped).toBe(false);
  });
});
