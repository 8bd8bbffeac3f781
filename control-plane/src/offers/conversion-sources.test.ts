import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type OfferBody = { id: number; conversionSources: string | null; acceptedConversionSources: string };

/** Which requests may create an offer's conversions (decision 018), as the API and the edge see it. */
describe.each(testDatabases)('offer conversion sources on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, { edge: recorder.edge });
    admin = await adminSession(app, handle.db);
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  const base = {
    name: 'O',
    payoutType: 'cpa',
    status: 'active',
    destinationUrl: 'https://adv.example/?c={click_id}',
  };
  const create = async (extra: Record<string, unknown>) =>
    (await (
      await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, ...extra },
      })
    ).json()) as OfferBody;
  const published = (id: number) =>
    recorder.received
      .flatMap((p) => p.upsert.offers)
      .filter((o) => o.id === id)
      .at(-1);

  it('takes pixels by default, postbacks only once the offer has a secret, and whatever it is told', async () => {
    const open = await create({});
    expect([open.conversionSources, open.acceptedConversionSources]).toEqual([null, 'postback_and_pixel']);
    const guarded = await create({ postbackSecret: 'a-long-secret' });
    expect(guarded.acceptedConversionSources).toBe('postback');
    const allowlisted = await create({ postbackIpAllowlist: ['203.0.113.0/24'] });
    expect(allowlisted.acceptedConversionSources).toBe('postback');
    const explicit = await create({
      postbackSecret: 'a-long-secret',
      conversionSources: 'postback_and_pixel',
    });
    expect([explicit.conversionSources, explicit.acceptedConversionSources]).toEqual([
      'postback_and_pixel',
      'postback_and_pixel',
    ]);
    // The edge gets the setting and works out the default itself from the same fields.
    expect(published(explicit.id)?.conversionSources).toBe('postback_and_pixel');
    expect(published(guarded.id)?.conversionSources).toBeNull();

    const changed = await call(app, 'PATCH', `/api/v1/offers/${open.id}`, {
      token: admin.accessToken,
      body: { conversionSources: 'pixel' },
    });
    expect(((await changed.json()) as OfferBody).acceptedConversionSources).toBe('pixel');
    expect(published(open.id)?.conversionSources).toBe('pixel');
  });

  it('refuses a source that does not exist with 400', async () => {
    for (const conversionSources of ['email', 'PIXEL', '', 1]) {
      const response = await call(app, 'POST', '/api/v1/offers', {
        token: advertiser.accessToken,
        body: { ...base, conversionSources },
      });
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
    }
  });
});
