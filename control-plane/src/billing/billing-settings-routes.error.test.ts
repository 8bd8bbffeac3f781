import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

const TERMS = {
  mode: 'prepaid',
  creditLimitByCurrency: {},
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
};

describe.each(testDatabases)('/api/v1/advertisers/{id}/billing refusals on $name', ({ open }) => {
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

  const put = (advertiserId: number | string, body: unknown) =>
    call(app, 'PUT', `/api/v1/advertisers/${advertiserId}/billing`, { token: admin.accessToken, body });

  it('refuses terms that are not whole, non-negative amounts per ISO currency, or not the whole terms', async () => {
    for (const body of [
      { ...TERMS, mode: 'credit' },
      { ...TERMS, creditLimitByCurrency: { USD: -1 } },
      { ...TERMS, creditLimitByCurrency: { USD: 12.5 } },
      { ...TERMS, lowBalanceByCurrency: { usd: 100 } },
      { ...TERMS, lowBalanceByCurrency: { DOLLARS: 100 } },
      { ...TERMS, invoicePeriod: 'daily' },
      { ...TERMS, netTermsDays: 121 },
      { ...TERMS, netTermsDays: -1 },
      { mode: 'prepaid' },
    ]) {
      const response = await put(advertiser.advertiserId!, body);
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const malformed = await call(app, 'PUT', `/api/v1/advertisers/${advertiser.advertiserId}/billing`, {
      token: admin.accessToken,
      rawBody: '{"mode":',
    });
    expect([malformed.status, await errorCode(malformed)]).toEqual([400, 'invalid_json']);
    const read = await call(app, 'GET', `/api/v1/advertisers/${advertiser.advertiserId}/billing`, {
      token: advertiser.accessToken,
    });
    expect(await read.json()).toMatchObject({ mode: 'postpaid' });
  });

  it('answers 404 for an advertiser that does not exist, and 400 for an id that is not one', async () => {
    for (const response of [
      await put(999_999, TERMS),
      await call(app, 'GET', '/api/v1/advertisers/999999/billing', { token: admin.accessToken }),
    ]) {
      expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
    }
    for (const id of ['abc', '0', '99999999999']) {
      const response = await call(app, 'GET', `/api/v1/advertisers/${id}/billing`, {
        token: admin.accessToken,
      });
      expect(response.status, id).toBe(400);
    }
  });

  it('keeps the old terms, marks nothing and mails nobody when the edge refuses the stop', async () => {
    const other = await signUp(app, 'advertiser');
    await apiOffer(app, other, { visibility: 'public' });
    const mailBefore = sentMail(app).length;
    recorder.fail(true);
    let response: Response;
    try {
      response = await put(other.advertiserId!, TERMS);
    } finally {
      recorder.fail(false);
    }
    expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
    const read = await call(app, 'GET', `/api/v1/advertisers/${other.advertiserId}/billing`, {
      token: admin.accessToken,
    });
    expect(await read.json()).toMatchObject({
      mode: 'postpaid',
      funds: [expect.objectContaining({ state: 'available', stoppedAtEdge: false })],
    });
    expect(sentMail(app).length).toBe(mailBefore);
  });
});
