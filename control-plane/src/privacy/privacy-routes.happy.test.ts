import { hashCustomerData } from '@tas/shared/customer-data';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  call,
  errorCode,
  logIn,
  PASSWORD,
  signUp,
  uniqueEmail,
} from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { ingest } from '../../test/postback-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createUser } from '../accounts/account-service.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { dataSubjectRequests } from '../db/schema/data-subject-requests.ts';
import { hourlyStats } from '../db/schema/hourly-stats.ts';
import { postbackAttempts, postbackConfigs, postbackDeliveries } from '../db/schema/postback-configs.ts';
import { users } from '../db/schema/users.ts';

type Export = {
  truncated: boolean;
  clicks: Record<string, unknown>[];
  conversions: Record<string, unknown>[];
  postbackAttempts: Record<string, unknown>[];
  quarantinedEvents: Record<string, unknown>[];
  account: { user: Record<string, unknown>; sessions: Record<string, unknown>[] } | null;
};

describe.each(testDatabases)('/api/v1/privacy on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it("exports a buyer's clicks, conversions, postbacks and quarantined events, then erases them keeping counts and money", async () => {
    const db = handle.db;
    const admin = await adminSession(app, db);
    const advertiser = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const offer = await apiOffer(app, advertiser, { payoutMinor: 1500 });
    const ids = { offerId: offer.id, affiliateId: affiliate.affiliateId! };
    const email = 'Jane.Buyer@Example.com';
    const click = await clickEvent({
      ...ids,
      ip: '198.51.100.77',
      referrer: 'https://blog.example/post',
      gclid: 'G-1',
    });
    const sale = conversionEvent(click, {
      ip: '198.51.100.77',
      userAgent: 'Mozilla/5.0 (Buyer)',
      customerHashes: await hashCustomerData({ email, phone: null }),
      txid: 'ORDER-77',
    });
    const stranger = await clickEvent({ ...ids, ip: '192.0.2.1' });
    // A second event under the click's id that the ingest cannot store: quarantined whole.
    await ingest(app, [click, sale, stranger, { ...click, offerId: -5 }]);
    // A postback attempt for the sale, as the worker records one.
    const [config] = await db
      .insert(postbackConfigs)
      .values({ affiliateId: ids.affiliateId, url: 'https://aff.example/pb?click={click_id}', method: 'GET' })
      .returning();
    const [delivery] = await db
      .insert(postbackDeliveries)
      .values({
        conversionId: sale.id,
        postbackConfigId: config!.id,
        affiliateId: ids.affiliateId,
        trigger: 'approved',
      })
      .returning();
    await db.insert(postbackAttempts).values({
      postbackConfigId: config!.id,
      deliveryId: delivery!.id,
      kind: 'delivery',
      url: `https://aff.example/pb?click=${click.id}&ip=198.51.100.77`,
      method: 'GET',
      statusCode: 200,
      latencyMs: 12,
      bodyExcerpt: 'ok 198.51.100.77',
      ok: true,
    });
    const rollup = async () =>
      (await db.select().from(hourlyStats).where(eq(hourlyStats.offerId, offer.id)))
        .map((r) => `${r.clicks}/${r.conversions}/${r.payoutMinor}/${r.revenueMinor}`)
        .sort();
    const before = await rollup();

    const exported = async (subject: { type: string; value: string }) => {
      const response = await call(app, 'POST', '/api/v1/privacy/exports', {
        token: admin.accessToken,
        body: { subject, note: 'ticket 42' },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Export;
    };
    // By the email: the sale (through the hashes made at the edge), its click and its postback.
    const byEmail = await exported({ type: 'email', value: ' jane.buyer@example.com ' });
    expect(byEmail.conversions.map((c) => c.txid)).toEqual(['ORDER-77']);
    expect(byEmail.clicks.map((c) => [c.id, c.ip, c.referrer])).toEqual([
      [click.id, '198.51.100.77', 'https://blog.example/post'],
    ]);
    expect(byEmail.postbackAttempts.map((a) => a.url)).toEqual([
      `https://aff.example/pb?click=${click.id}&ip=198.51.100.77`,
    ]);
    expect(byEmail.account).toBeNull();
    // By the click id, the order and the ip: the same person, and the quarantined event.
    const byClick = await exported({ type: 'click_id', value: click.id });
    expect(byClick.quarantinedEvents).toHaveLength(1);
    expect(byClick.conversions.map((c) => c.id)).toEqual([sale.id]);
    expect((await exported({ type: 'txid', value: 'ORDER-77' })).clicks.map((c) => c.id)).toEqual([click.id]);
    expect((await exported({ type: 'ip', value: '198.51.100.77' })).clicks.map((c) => c.id)).toEqual([
      click.id,
    ]);

    const erased = await call(app, 'POST', '/api/v1/privacy/erasures', {
      token: admin.accessToken,
      body: { subject: { type: 'email', value: email }, note: 'ticket 43' },
    });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({
      clicks: 1,
      conversions: 1,
      postbackAttempts: 1,
      quarantinedEvents: 0,
      accounts: 0,
    });
    const after = await exported({ type: 'click_id', value: click.id });
    expect(after.clicks.map((c) => [c.ip, c.user_agent, c.referrer, c.gclid])).toEqual([
      [null, null, null, null],
    ]);
    expect(
      after.conversions.map((c) => [c.ip, c.user_agent, c.customer_hashes, c.payout_minor, c.txid]),
    ).toEqual([[null, null, null, 1500, 'ORDER-77']]);
    expect(after.postbackAttempts.map((a) => [a.url, a.body_excerpt])).toEqual([
      ['https://aff.example/pb', null],
    ]);
    expect(await rollup()).toEqual(before);
    // The stranger's click is untouched; erasing by click id takes the quarantined event too.
    const [other] = await queryRows<{ ip: string }>(db, sql`SELECT ip FROM clicks WHERE id = ${stranger.id}`);
    expect(other?.ip).toBe('192.0.2.1');
    const byId = await call(app, 'POST', '/api/v1/privacy/erasures', {
      token: admin.accessToken,
      body: { subject: { type: 'click_id', value: click.id } },
    });
    expect(await byId.json()).toMatchObject({ quarantinedEvents: 1 });

    // The log says who asked, what and when, and never the subject itself.
    const log = await call(app, 'GET', '/api/v1/privacy/requests', { token: admin.accessToken });
    const entries = (
      (await log.json()) as {
        data: { kind: string; subjectType: string; requestedBy: string; note: string | null }[];
      }
    ).data;
    expect(entries.map((e) => [e.kind, e.subjectType])).toEqual([
      ['erase', 'click_id'],
      ['export', 'click_id'],
      ['erase', 'email'],
      ['export', 'ip'],
      ['export', 'txid'],
      ['export', 'click_id'],
      ['export', 'email'],
    ]);
    expect(entries.every((e) => e.requestedBy === admin.userId)).toBe(true);
    const stored = JSON.stringify(await db.select().from(dataSubjectRequests));
    expect(stored).not.toMatch(/jane|198\.51\.100\.77|ORDER-77/i);
    expect(stored).not.toContain(click.id);
  });

  it("exports and erases a user's account by its login, which then no longer works", async () => {
    const admin = await adminSession(app, handle.db);
    const email = uniqueEmail('leaving');
    await createUser({ db: handle.db }, { email, password: PASSWORD, role: 'admin' });
    const leaving = await logIn(app, email, PASSWORD, '203.0.113.50');
    const exported = await call(app, 'POST', '/api/v1/privacy/exports', {
      token: admin.accessToken,
      body: { subject: { type: 'email', value: email.toUpperCase() } },
    });
    const body = (await exported.json()) as Export;
    expect(body.account?.user).toMatchObject({ email, role: 'admin' });
    expect(body.account?.user).not.toHaveProperty('password_hash');
    expect(body.account?.sessions.map((s) => s.ip)).toEqual(['203.0.113.50']);

    const erased = await call(app, 'POST', '/api/v1/privacy/erasures', {
      token: admin.accessToken,
      body: { subject: { type: 'email', value: email } },
    });
    expect(await erased.json()).toMatchObject({ accounts: 1 });
    const [user] = await handle.db.select().from(users).where(eq(users.id, leaving.userId));
    expect(user).toMatchObject({
      email: `deleted-${leaving.userId}@deleted.invalid`,
      isActive: false,
      passwordHash: null,
    });
    expect(user?.deletedAt).toBeInstanceOf(Date);
    const again = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect([again.status, await errorCode(again)]).toEqual([401, 'invalid_credentials']);
    const stale = await call(app, 'GET', '/api/v1/auth/sessions', { token: leaving.accessToken });
    expect(stale.status).toBe(401);
  });

  it('lets a user delete their own account with the password, ending its sessions', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const wrong = await call(app, 'POST', '/api/v1/auth/delete-account', {
      token: affiliate.accessToken,
      body: { password: 'not the password' },
    });
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'invalid_credentials']);
    const deleted = await call(app, 'POST', '/api/v1/auth/delete-account', {
      token: affiliate.accessToken,
      body: { password: PASSWORD },
    });
    expect(deleted.status).toBe(204);
    const [user] = await handle.db.select().from(users).where(eq(users.id, affiliate.userId));
    expect(user).toMatchObject({ firstName: null, lastName: null, isActive: false });
    expect(user?.email).toBe(`deleted-${affiliate.userId}@deleted.invalid`);
    // The affiliate company stays (its money and records).
    const [company] = await queryRows<{ id: number }>(
      handle.db,
      sql`SELECT id FROM affiliates WHERE id = ${affiliate.affiliateId}`,
    );
    expect(company?.id).toBe(affiliate.affiliateId);
    const after = await call(app, 'GET', '/api/v1/auth/sessions', { token: affiliate.accessToken });
    expect(after.status).toBe(401);
  });
});
