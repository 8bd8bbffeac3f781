import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, offerConfig, publish, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';
import { FRAUD_SHARDS, fraudShardName } from './fraud-shard.ts';

const visitor = (ip: string, userAgent = CHROME_WINDOWS) => ({
  headers: { 'user-agent': userAgent, 'cf-connecting-ip': ip },
});
const clickEvents = (ingest: ReturnType<typeof captureIngest>, offerId: number) => () =>
  ingest
    .eventsOf(offerId)()
    .flatMap((e) => (e.type === 'click' ? [e] : []));

describe('click fraud', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('flags a repeated ip + offer + affiliate inside the window as a duplicate, not unique', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 200, fraud: { duplicateClickWindowSeconds: 3600 } }));
    for (const ip of ['192.0.2.1', '192.0.2.1', '192.0.2.2']) {
      expect((await click('/c/200?aff_id=7', visitor(ip))).status).toBe(302);
    }
    const events = await eventually(clickEvents(ingest, 200), (e) => e.length >= 3);
    const byIp = events
      .map((e) => [e.ip, e.unique, e.fraudFlags])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(byIp).toEqual([
      ['192.0.2.1', false, ['duplicate_click']],
      ['192.0.2.1', true, []],
      ['192.0.2.2', true, []],
    ]);
  });

  it('sends duplicates to the fallback when the offer says so', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 201, fraud: { duplicateClickWindowSeconds: 3600, action: 'fallback' } }),
    );
    expect((await click('/c/201?aff_id=7', visitor('192.0.2.9'))).headers.get('location')).toMatch(
      /adv\.test/,
    );
    expect((await click('/c/201?aff_id=7', visitor('192.0.2.9'))).headers.get('location')).toBe(
      'https://fallback.test/',
    );
    const events = await eventually(clickEvents(ingest, 201), (e) => e.length >= 2);
    expect(events.map((e) => e.reason).sort()).toEqual(['fraud', null].sort());
  });

  it('flags clicks over the per-ip velocity limit', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 202, fraud: { maxClicksPerIpPerMinute: 3 } }));
    for (let i = 0; i < 5; i++) await click('/c/202?aff_id=7', visitor('192.0.2.50'));
    const events = await eventually(clickEvents(ingest, 202), (e) => e.length >= 5);
    expect(events.filter((e) => e.fraudFlags.includes('ip_velocity'))).toHaveLength(2);
  });

  it('applies the network and offer blocklists of ips (with CIDR) and user agents', async () => {
    await publish({
      network: {
        blockedIps: ['203.0.113.0/24', '2001:db8::/32'],
        blockedUserAgents: ['SketchyToolbar'],
        revision: 1,
      },
    });
    await publishOfferAndAffiliate(offerConfig({ id: 203 }));
    await publishOfferAndAffiliate(
      offerConfig({ id: 204, fraud: { blockedIps: ['198.51.100.77'], action: 'fallback' } }),
    );
    await click('/c/203?aff_id=7', visitor('203.0.113.200'));
    await click('/c/203?aff_id=7', visitor('2001:db8::1'));
    await click('/c/203?aff_id=7', visitor('192.0.2.3', `${CHROME_WINDOWS} sketchytoolbar/2.0`));
    await click('/c/203?aff_id=7', visitor('192.0.2.4'));
    expect((await click('/c/204?aff_id=7', visitor('198.51.100.77'))).headers.get('location')).toBe(
      'https://fallback.test/',
    );
    const events = await eventually(clickEvents(ingest, 203), (e) => e.length >= 4);
    expect(Object.fromEntries(events.map((e) => [e.ip, e.fraudFlags]))).toEqual({
      '203.0.113.200': ['blocked_ip'],
      '2001:db8::1': ['blocked_ip'],
      '192.0.2.3': ['blocked_user_agent'],
      '192.0.2.4': [],
    });
    const [blocked] = await eventually(clickEvents(ingest, 204), (e) => e.length >= 1);
    expect(blocked).toMatchObject({ outcome: 'fallback', reason: 'fraud', fraudFlags: ['blocked_ip'] });
  });

  it('spreads ips over many counter objects', () => {
    const shards = new Set(
      Array.from({ length: 2000 }, (_, i) => fraudShardName(`10.${i >> 8}.${i & 255}.1`)),
    );
    expect(shards.size).toBeGreaterThan(FRAUD_SHARDS * 0.9);
  });
});
