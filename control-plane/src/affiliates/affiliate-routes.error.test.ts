import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';

describe.each(testDatabases)('/api/v1/affiliates bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, {
      edge: recorder.edge,
    });
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });
  const total = async () => (await handle.db.select({ n: count() }).from(affiliates))[0]?.n ?? 0;

  it('refuses invalid bodies and ids with 400, storing nothing', async () => {
    const before = await total();
    for (const body of [
      {},
      { companyName: '' },
      { companyName: 'X', status: 'banned' },
      { companyName: 'X', websiteUrl: 'ftp://x' },
    ]) {
      const response = await call(app, 'POST', '/api/v1/affiliates', { token: admin.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect((await call(app, 'GET', '/api/v1/affiliates/x1', { token: admin.accessToken })).status).toBe(400);
    expect(await total()).toBe(before);
  });

  it('refuses malformed payment details', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const path = `/api/v1/affiliates/${affiliate.affiliateId}/payment-details`;
    for (const body of [
      {},
      { method: 'cash' },
      { method: 'paypal', email: 'no' },
      { method: 'wire', accountHolder: 'A', iban: 'not an iban' },
      { method: 'wire', accountHolder: 'A', iban: 'DE89370400440532013000', bic: 'x' },
    ]) {
      const response = await call(app, 'PUT', path, { token: affiliate.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const [row] = await handle.db.select().from(affiliates).where(eq(affiliates.id, affiliate.affiliateId!));
    expect(row?.paymentDetailsEncrypted).toBeNull();
  });

  it('keeps the old status when the edge cannot take the new one', async () => {
    const created = (await (
      await call(app, 'POST', '/api/v1/affiliates', { token: admin.accessToken, body: { companyName: 'E' } })
    ).json()) as { id: number };
    recorder.fail(true);
    try {
      const response = await call(app, 'PATCH', `/api/v1/affiliates/${created.id}`, {
        token: admin.accessToken,
        body: { status: 'suspended' },
      });
      expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
    } finally {
      recorder.fail(false);
    }
    const [row] = await handle.db.select().from(affiliates).where(eq(affiliates.id, created.id));
    expect(row?.status).toBe('active');
  });

  it('answers 404 for an affiliate that does not exist', async () => {
    const response = await call(app, 'PATCH', '/api/v1/affiliates/777777', {
      token: admin.accessToken,
      body: { status: 'active' },
    });
    expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
  });
});
