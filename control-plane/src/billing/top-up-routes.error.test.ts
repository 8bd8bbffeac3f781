import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { topUps } from '../db/schema/top-ups.ts';

describe.each(testDatabases)('/api/v1/top-ups refusals on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let advertiser: Session;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors() });
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it('refuses amounts that are not whole minor units within bounds, and malformed currencies', async () => {
    for (const body of [
      { amountMinor: 99, currency: 'USD' },
      { amountMinor: 12.5, currency: 'USD' },
      { amountMinor: 100_000_001, currency: 'USD' },
      { amountMinor: 5_000, currency: 'usd' },
      { amountMinor: 5_000, currency: 'US' },
    ]) {
      const response = await call(app, 'POST', '/api/v1/top-ups', { token: advertiser.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect(fakes.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions')).toEqual([]);
  });

  it('answers 503 while Stripe is down, and keeps the attempt as failed with the reason', async () => {
    fakes.stripe.failNext(1, 503);
    const response = await call(app, 'POST', '/api/v1/top-ups', {
      token: advertiser.accessToken,
      body: { amountMinor: 5_000, currency: 'USD' },
    });
    expect([response.status, await errorCode(response)]).toEqual([503, 'processor_unavailable']);
    const rows = await handle.db
      .select()
      .from(topUps)
      .where(eq(topUps.advertiserId, advertiser.advertiserId!));
    expect(rows.map((r) => r.status)).toEqual(['failed']);
    expect(rows[0]?.failure).toBeTruthy();
  });

  it('answers 503 processor_not_configured when the network has no Stripe keys', async () => {
    const withoutStripe = testApp(handle.db);
    const response = await call(withoutStripe, 'POST', '/api/v1/top-ups', {
      token: advertiser.accessToken,
      body: { amountMinor: 5_000, currency: 'USD' },
    });
    expect([response.status, await errorCode(response)]).toEqual([503, 'processor_not_configured']);
  });
});
