import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';

describe.each(testDatabases)('/api/v1/affiliates on $name', ({ open }) => {
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

  it('lets an admin create an affiliate and activate it, publishing each status to the edge', async () => {
    const created = await call(app, 'POST', '/api/v1/affiliates', {
      token: admin.accessToken,
      body: { companyName: 'Media Co', status: 'pending' },
    });
    expect(created.status).toBe(201);
    const affiliate = (await created.json()) as { id: number };
    expect(recorder.received.at(-1)?.upsert.affiliates).toEqual([
      expect.objectContaining({ id: affiliate.id, status: 'suspended' }),
    ]);
    const activated = await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.id}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
    expect(await activated.json()).toMatchObject({ id: affiliate.id, status: 'active' });
    expect(recorder.received.at(-1)?.upsert.affiliates).toEqual([
      expect.objectContaining({ id: affiliate.id, status: 'active' }),
    ]);
    const list = await call(app, 'GET', '/api/v1/affiliates?limit=200', { token: admin.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((a) => a.id)).toContain(affiliate.id);
  });

  it('stores payment details encrypted and gives them back to the affiliate', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const path = `/api/v1/affiliates/${affiliate.affiliateId}/payment-details`;
    expect(await (await call(app, 'GET', path, { token: affiliate.accessToken })).json()).toEqual({
      paymentDetails: null,
    });
    const details = {
      method: 'wire',
      accountHolder: 'Media Co',
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
    };
    expect((await call(app, 'PUT', path, { token: affiliate.accessToken, body: details })).status).toBe(204);

    const [row] = await handle.db.select().from(affiliates).where(eq(affiliates.id, affiliate.affiliateId!));
    expect(row?.paymentDetailsEncrypted).toMatch(/^v1\./);
    expect(row?.paymentDetailsEncrypted).not.toContain('DE89');
    const expected = { ...details, iban: 'DE89370400440532013000' };
    expect(await (await call(app, 'GET', path, { token: affiliate.accessToken })).json()).toEqual({
      paymentDetails: expected,
    });
    expect(await (await call(app, 'GET', path, { token: admin.accessToken })).json()).toEqual({
      paymentDetails: expected,
    });
    const profile = await call(app, 'GET', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: affiliate.accessToken,
    });
    expect(await profile.json()).toMatchObject({ hasPaymentDetails: true });
  });

  it('lets an affiliate edit its own profile', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const response = await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: affiliate.accessToken,
      body: { websiteUrl: 'https://media.example', contactPhone: '+1 555 0100' },
    });
    expect(await response.json()).toMatchObject({ websiteUrl: 'https://media.example', status: 'pending' });
  });
});
