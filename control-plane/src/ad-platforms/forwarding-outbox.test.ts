import { createHash } from 'node:crypto';
import { hashCustomerData } from '@tas/shared/customer-data';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adPlatformWorld,
  connectAndForward,
  fakeEndpoints,
  testAdPlatformDeps,
} from '../../test/ad-platform-setup.ts';
import { call } from '../../test/api-client.ts';
import { META_FAKE_TOKEN, type MetaFake, startMetaFake } from '../../test/fakes/meta-fake.ts';
import { ingest } from '../../test/postback-setup.ts';
import { sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { adConversionDeliveries, adConversionDestinations } from '../db/schema/ad-conversion-destinations.ts';
import { adPlatformConnections } from '../db/schema/ad-platform-connections.ts';
import type { AdPlatformDeps } from './ad-platform-deps.ts';
import { processAdDeliveries } from './forwarding-outbox.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A TCF v2 core segment whose purpose consents are the given ones (the rest of its fields zero). */
function tcString(purposes: number[]): string {
  const bits = Array<string>(152 + 24 + 8).fill('0');
  bits.splice(0, 6, ...'000010'); // version 2
  for (const p of purposes) bits[152 + p - 1] = '1';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bits.length; i += 6)
    out +=
      alphabet[
        Number.parseInt(
          bits
            .slice(i, i + 6)
            .join('')
            .padEnd(6, '0'),
          2,
        )
      ];
  return out;
}
const TC_STORAGE_ONLY = tcString([1]);
const TC_ALL_PURPOSES = tcString([1, 2, 3, 4, 7]);

describe.each(testDatabases)('ad-platform outbox on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let meta: MetaFake;
  let deps: AdPlatformDeps;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof adPlatformWorld>>;

  beforeAll(async () => {
    handle = await open();
    meta = await startMetaFake();
    deps = testAdPlatformDeps(handle.db, { endpoints: fakeEndpoints({ metaGraphUrl: meta.url }) });
    app = testApp(handle.db, { adPlatforms: deps });
    deps.mailer = { send: async (m) => void sentMail(app).push(m) };
    world = await adPlatformWorld(app, handle.db);
  });
  afterAll(async () => {
    await meta.close();
    await handle.close();
  });

  /** A fresh destination (its own pixel) so each test reads only its own deliveries. */
  async function destination(extra: Record<string, unknown> = {}, token = META_FAKE_TOKEN) {
    const pixelId = String(100_000 + Math.floor(Math.random() * 899_999));
    const made = await connectAndForward(app, world.advertiser, {
      platform: 'meta',
      accessToken: token,
      settings: { pixelId },
      ...extra,
    });
    return { ...made, pixelId };
  }
  const deliveriesOf = (destinationId: string) =>
    handle.db
      .select()
      .from(adConversionDeliveries)
      .where(eq(adConversionDeliveries.destinationId, destinationId))
      .orderBy(asc(adConversionDeliveries.createdAt));
  /** Only this destination active: earlier tests' destinations must not take this one's conversions. */
  async function only(destinationId: string) {
    for (const row of await handle.db.select().from(adConversionDestinations)) {
      if (row.id !== destinationId && row.status !== 'archived')
        await call(app, 'PATCH', `/api/v1/ad-platforms/destinations/${row.id}`, {
          token: world.advertiser.accessToken,
          body: { status: 'archived' },
        });
    }
  }
  async function sale(
    click: Partial<Parameters<typeof clickEvent>[0]> = {},
    conversion: Record<string, unknown> = {},
  ) {
    const c = await clickEvent({
      offerId: world.offer.id,
      affiliateId: world.affiliate.affiliateId!,
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      ...click,
    });
    const v = conversionEvent(c, { occurredAt: new Date().toISOString(), ...conversion });
    return { click: c, conversion: v, events: [c, v] };
  }

  it('sends an approved conversion once, hashed by Meta rules, and a redelivered batch sends nothing new', async () => {
    const { destinationId, pixelId } = await destination();
    await only(destinationId);
    const customerHashes = await hashCustomerData({ email: ' Buyer@Example.com', phone: '+1 650 555 1234' });
    const s = await sale(
      { fbclid: 'IwAR-fb-click', ip: '203.0.113.9', userAgent: 'Mozilla/5.0 Test' },
      { customerHashes, txid: 'ORDER-1' },
    );
    await ingest(app, s.events);
    await ingest(app, s.events);
    expect(await deliveriesOf(destinationId)).toHaveLength(1);

    expect(await processAdDeliveries(deps)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await processAdDeliveries(deps, new Date(Date.now() + 86_400_000))).toMatchObject({ claimed: 0 });
    const sent = meta.events.filter((e) => e.pixelId === pixelId);
    expect(sent).toHaveLength(1);
    const event = sent[0]!.event as {
      event_id: string;
      user_data: Record<string, unknown>;
      custom_data: Record<string, unknown>;
    };
    expect(event.event_id).toBe('ORDER-1');
    expect(event.user_data).toMatchObject({
      em: [sha('buyer@example.com')],
      ph: [sha('16505551234')],
      client_ip_address: '203.0.113.9',
      client_user_agent: 'Mozilla/5.0 Test',
      country: [sha('de')],
      fbc: `fb.1.${Date.parse(s.click.occurredAt)}.IwAR-fb-click`,
    });
    expect(event.custom_data).toMatchObject({ value: 50, currency: 'USD', order_id: 'ORDER-1' });
    const [delivery] = await deliveriesOf(destinationId);
    expect(delivery).toMatchObject({ state: 'sent', attempts: 1, lastHttpStatus: 200 });
    expect(delivery?.lastResponse).toContain('events_received');
  });

  it('skips with the reason: consent denied, consent missing under a required policy, no Meta click id', async () => {
    const { destinationId } = await destination({ consentPolicy: 'required' });
    await only(destinationId);
    const denied = await sale({ fbclid: 'fb-denied', consent: 'denied' });
    const unknown = await sale({ fbclid: 'fb-unknown' });
    const noClickId = await sale({ consent: 'granted', gclid: 'g-only' });
    const granted = await sale({ fbclid: 'fb-granted', consent: 'granted' });
    await ingest(app, [...denied.events, ...unknown.events, ...noClickId.events, ...granted.events]);
    await processAdDeliveries(deps);
    const byConversion = new Map((await deliveriesOf(destinationId)).map((d) => [d.conversionId, d]));
    expect(byConversion.get(denied.conversion.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'consent_denied',
    });
    expect(byConversion.get(unknown.conversion.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'consent_missing',
    });
    expect(byConversion.get(noClickId.conversion.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'no_click_id',
    });
    expect(byConversion.get(granted.conversion.id)).toMatchObject({ state: 'sent' });
  });

  it('skips on the TCF and consent mode signals of the click or the conversion', async () => {
    const { destinationId } = await destination();
    await only(destinationId);
    const noTcString = await sale({ fbclid: 'fb-gdpr', gdpr: true });
    const refused = await sale({ fbclid: 'fb-tcf-no', gdpr: true, gdprConsent: TC_STORAGE_ONLY });
    const modeDenied = await sale({ fbclid: 'fb-mode' }, { adUserData: 'denied' });
    const deniedByPixel = await sale({ fbclid: 'fb-pixel', consent: 'granted' }, { consent: 'denied' });
    const tcfOk = await sale({ fbclid: 'fb-tcf-ok', gdpr: true, gdprConsent: TC_ALL_PURPOSES });
    const notApplying = await sale({ fbclid: 'fb-gdpr0', gdpr: false });
    await ingest(app, [
      ...noTcString.events,
      ...refused.events,
      ...modeDenied.events,
      ...deniedByPixel.events,
      ...tcfOk.events,
      ...notApplying.events,
    ]);
    await processAdDeliveries(deps);
    const byConversion = new Map((await deliveriesOf(destinationId)).map((d) => [d.conversionId, d]));
    const reason = (s: { conversion: { id: string } }) => {
      const d = byConversion.get(s.conversion.id);
      return d?.state === 'skipped' ? d.skipReason : d?.state;
    };
    expect(reason(noTcString)).toBe('gdpr_consent_missing');
    expect(reason(refused)).toBe('gdpr_consent_denied');
    expect(reason(modeDenied)).toBe('consent_mode_denied');
    expect(reason(deniedByPixel)).toBe('consent_denied');
    expect(reason(tcfOk)).toBe('sent');
    expect(reason(notApplying)).toBe('sent');
  });

  it('keeps EU/EEA/UK visitors out by the offer setting (eu_visitor), and sends the others', async () => {
    const { destinationId } = await destination();
    await only(destinationId);
    const patch = (privacy: Record<string, unknown>) =>
      call(app, 'PATCH', `/api/v1/offers/${world.offer.id}`, {
        token: world.advertiser.accessToken,
        body: { privacy },
      });
    expect((await patch({ forwardEuVisitors: false })).status).toBe(200);
    const german = await sale({ fbclid: 'fb-de', country: 'DE' });
    const british = await sale({ fbclid: 'fb-gb', country: 'GB' });
    const american = await sale({ fbclid: 'fb-us', country: 'US' });
    await ingest(app, [...german.events, ...british.events, ...american.events]);
    await processAdDeliveries(deps);
    const byConversion = new Map((await deliveriesOf(destinationId)).map((d) => [d.conversionId, d]));
    expect(byConversion.get(german.conversion.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'eu_visitor',
    });
    expect(byConversion.get(british.conversion.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'eu_visitor',
    });
    expect(byConversion.get(american.conversion.id)).toMatchObject({ state: 'sent' });
    // Back to the network's setting (which the test world set to forward them).
    expect((await patch({ forwardEuVisitors: null })).status).toBe(200);
  });

  it('sends no ip or user agent the offer minimised (a hashed ip is not the visitor’s address)', async () => {
    const { destinationId, pixelId } = await destination();
    await only(destinationId);
    const patch = (privacy: Record<string, unknown>) =>
      call(app, 'PATCH', `/api/v1/offers/${world.offer.id}`, {
        token: world.advertiser.accessToken,
        body: { privacy },
      });
    expect((await patch({ ipMode: 'hashed', userAgentMode: 'parsed' })).status).toBe(200);
    const s = await sale({
      fbclid: 'fb-hashed',
      ip: 'h_AAAAAAAAAAAAAAAAAAAAAA',
      userAgent: 'Chrome (windows; desktop)',
    });
    await ingest(app, s.events);
    await processAdDeliveries(deps);
    const [sent] = meta.events.filter((e) => e.pixelId === pixelId);
    expect(sent).toBeDefined();
    const userData = (sent!.event as { user_data: Record<string, unknown> }).user_data;
    expect(userData).not.toHaveProperty('client_ip_address');
    expect(userData).not.toHaveProperty('client_user_agent');
    expect((await patch({ ipMode: null, userAgentMode: null })).status).toBe(200);
  });

  it('queues a pending conversion on approval, and a rejection after sending asks for a retraction Meta cannot take', async () => {
    const { destinationId } = await destination();
    await only(destinationId);
    const s = await sale({ fbclid: 'fb-pending' }, { advertiserStatus: 'pending' });
    await ingest(app, s.events);
    expect(await deliveriesOf(destinationId)).toEqual([]);
    const change = (action: string) =>
      call(app, 'POST', '/api/v1/conversions/changes', {
        token: world.admin.accessToken,
        body: { action, conversionIds: [s.conversion.id], dryRun: false, reason: 'test' },
      });
    expect((await change('approve')).status).toBe(200);
    await processAdDeliveries(deps);
    expect(await deliveriesOf(destinationId)).toEqual([
      expect.objectContaining({ kind: 'conversion', state: 'sent' }),
    ]);
    expect((await change('reject')).status).toBe(200);
    await processAdDeliveries(deps);
    expect(await deliveriesOf(destinationId)).toEqual([
      expect.objectContaining({ kind: 'conversion', state: 'sent' }),
      expect.objectContaining({
        kind: 'retraction',
        state: 'skipped',
        skipReason: 'platform_has_no_retractions',
      }),
    ]);
  });

  it('parks the one event Meta refuses, sends the rest, and a replay sends it once fixed', async () => {
    const { destinationId, pixelId } = await destination();
    await only(destinationId);
    const good = await sale({ fbclid: 'fb-good' }, { txid: 'GOOD-1' });
    const bad = await sale({ fbclid: 'fb-bad' }, { txid: 'BAD-1' });
    meta.rejectEventIds(['BAD-1']);
    await ingest(app, [...good.events, ...bad.events]);
    await processAdDeliveries(deps);
    const byConversion = new Map((await deliveriesOf(destinationId)).map((d) => [d.conversionId, d]));
    expect(byConversion.get(good.conversion.id)).toMatchObject({ state: 'sent' });
    expect(byConversion.get(bad.conversion.id)).toMatchObject({ state: 'rejected', lastHttpStatus: 400 });
    expect(byConversion.get(bad.conversion.id)?.lastResponse).toContain('Invalid parameter');
    expect(meta.events.filter((e) => e.pixelId === pixelId).map((e) => e.event.event_id)).toEqual(['GOOD-1']);

    const replay = await call(app, 'POST', `/api/v1/ad-platforms/destinations/${destinationId}/replay`, {
      token: world.advertiser.accessToken,
      body: {},
    });
    expect(await replay.json()).toEqual({ queued: 1 });
    // Still refused: parked again, not sent twice, not lost.
    await processAdDeliveries(deps);
    expect((await deliveriesOf(destinationId)).map((d) => d.state).sort()).toEqual(['rejected', 'sent']);
  });

  it('pauses the destination after repeated auth failures, tells the advertiser once, and sends after reconnecting', async () => {
    const token = `meta-expiring-${Date.now()}`;
    meta.tokens.add(token);
    const { destinationId, connectionId, pixelId } = await destination({}, token);
    await only(destinationId);
    meta.expireToken(token);
    const s = await sale({ fbclid: 'fb-auth' });
    await ingest(app, s.events);
    const mailsBefore = sentMail(app).length;
    for (let i = 0; i < 4; i++) await processAdDeliveries(deps, new Date(Date.now() + i * 7_200_000));
    const [destinationRow] = await handle.db
      .select()
      .from(adConversionDestinations)
      .where(eq(adConversionDestinations.id, destinationId));
    expect(destinationRow).toMatchObject({ status: 'paused', authFailures: 3 });
    const [connection] = await handle.db
      .select()
      .from(adPlatformConnections)
      .where(eq(adPlatformConnections.id, connectionId));
    expect(connection?.status).toBe('needs_reauth');
    const notices = sentMail(app).slice(mailsBefore);
    expect(notices.map((m) => m.subject)).toEqual([
      'Conversions to Meta are paused: connect your account again',
    ]);
    expect(JSON.stringify(notices)).not.toContain(token);
    expect(await deliveriesOf(destinationId)).toEqual([
      expect.objectContaining({ state: 'pending', attempts: 3 }),
    ]);

    // A new token, then resume: the conversion queued meanwhile goes.
    const patched = await call(app, 'PATCH', `/api/v1/ad-platforms/connections/${connectionId}`, {
      token: world.advertiser.accessToken,
      body: { accessToken: META_FAKE_TOKEN },
    });
    expect(await patched.json()).toMatchObject({ status: 'active' });
    await call(app, 'PATCH', `/api/v1/ad-platforms/destinations/${destinationId}`, {
      token: world.advertiser.accessToken,
      body: { status: 'active' },
    });
    await processAdDeliveries(deps, new Date(Date.now() + 86_400_000));
    expect(await deliveriesOf(destinationId)).toEqual([expect.objectContaining({ state: 'sent' })]);
    expect(meta.events.filter((e) => e.pixelId === pixelId)).toHaveLength(1);
    // The stored token is a ciphertext, never the token itself.
    expect(connection?.credentials).not.toContain(token);
  });
});
