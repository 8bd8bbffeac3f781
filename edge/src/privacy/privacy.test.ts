import { SELF } from 'cloudflare:test';
import type { ClickEvent, ConversionEvent } from '@tas/shared/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, EDGE, offerConfig, publish, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';
import { importIpHashKey, minimiseIp, truncateIp } from './minimise-ip.ts';

const visitor = (ip: string, userAgent = CHROME_WINDOWS) => ({
  headers: { 'user-agent': userAgent, 'cf-connecting-ip': ip },
});

/** A TCF v2 core segment consenting to the given purposes (its other fields zero). */
function tcString(purposes: number[]): string {
  const bits = Array<string>(184).fill('0');
  bits.splice(0, 6, ...'000010');
  for (const p of purposes) bits[152 + p - 1] = '1';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += alphabet[Number.parseInt(bits.slice(i, i + 6).join(''), 2)];
  return out;
}

describe('ip and user agent minimisation', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());
  const clicksOf = (offerId: number) => () =>
    ingest
      .eventsOf(offerId)()
      .flatMap((e) => (e.type === 'click' ? [e] : []));

  it('truncates IPv4 to /24 and IPv6 to /48, and hashes with a stable keyed token', async () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('not an ip')).toBeNull();
    const key = () => importIpHashKey('k'.repeat(32));
    const other = () => importIpHashKey('o'.repeat(32));
    const a = await minimiseIp('203.0.113.77', 'hashed', key);
    expect(a).toMatch(/^h_[A-Za-z0-9_-]{22}$/);
    expect(await minimiseIp('203.0.113.77', 'hashed', key)).toBe(a);
    expect(await minimiseIp('203.0.113.78', 'hashed', key)).not.toBe(a);
    expect(await minimiseIp('203.0.113.77', 'hashed', other)).not.toBe(a);
    expect(await minimiseIp('203.0.113.77', 'full', key)).toBe('203.0.113.77');
    expect(await minimiseIp(null, 'hashed', key)).toBeNull();
  });

  it('hashed: dedupe and velocity still work, and the raw ip never reaches the queue', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 600,
        privacy: { ipMode: 'hashed' },
        fraud: { duplicateClickWindowSeconds: 3600, maxClicksPerIpPerMinute: 3 },
      }),
    );
    for (let i = 0; i < 4; i++) await click('/c/600?aff_id=7', visitor('198.51.100.23'));
    await click('/c/600?aff_id=7', visitor('198.51.100.24'));
    const events = await eventually(clicksOf(600), (e) => e.length >= 5);
    expect(JSON.stringify(events)).not.toContain('198.51.100.2');
    const byIp = Map.groupBy(events, (e) => e.ip);
    expect(byIp.size).toBe(2);
    for (const ip of byIp.keys()) expect(ip).toMatch(/^h_[A-Za-z0-9_-]{22}$/);
    const repeated = [...byIp.values()].find((group) => group.length === 4)!;
    expect(repeated.filter((e) => e.unique)).toHaveLength(1);
    expect(repeated.filter((e) => e.fraudFlags.includes('duplicate_click'))).toHaveLength(3);
    expect(repeated.filter((e) => e.fraudFlags.includes('ip_velocity'))).toHaveLength(1);
    const single = [...byIp.values()].find((group) => group.length === 1)!;
    expect(single[0]).toMatchObject({ unique: true, fraudFlags: [] });
  });

  it('truncated: the /24 is what is counted and queued; blocklists still see the whole ip', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 601,
        privacy: { ipMode: 'truncated' },
        fraud: { duplicateClickWindowSeconds: 3600, blockedIps: ['192.0.2.99'] },
      }),
    );
    await click('/c/601?aff_id=7', visitor('192.0.2.10'));
    await click('/c/601?aff_id=7', visitor('192.0.2.10'));
    await click('/c/601?aff_id=7', visitor('192.0.2.99'));
    await click('/c/601?aff_id=7', visitor('2001:db8:85a3:8d3:1319:8a2e:370:7348'));
    const events = await eventually(clicksOf(601), (e) => e.length >= 4);
    expect(JSON.stringify(events)).not.toMatch(/192\.0\.2\.(10|99)|7348/);
    const summary = events.map((e) => [e.ip, e.unique, e.fraudFlags.join()]).sort();
    expect(summary).toEqual(
      [
        ['192.0.2.0', true, ''],
        ['192.0.2.0', false, 'duplicate_click'],
        // Blocked by its whole ip (not the /24), and counted as a repeat of the /24.
        ['192.0.2.0', false, 'blocked_ip,duplicate_click'],
        ['2001:db8:85a3::', true, ''],
      ].sort(),
    );
  });

  it('parsed user agent: bots are found on the raw agent, only the family, OS and device are kept', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 602, privacy: { userAgentMode: 'parsed' } }));
    await click('/c/602?aff_id=7', visitor('192.0.2.20'));
    await click('/c/602?aff_id=7', visitor('192.0.2.21', 'Googlebot/2.1 (+http://www.google.com/bot.html)'));
    const events = await eventually(clicksOf(602), (e) => e.length >= 2);
    const person = events.find((e) => e.ip === '192.0.2.20')!;
    const bot = events.find((e) => e.ip === '192.0.2.21')!;
    expect(person).toMatchObject({
      userAgent: 'Chrome (windows; desktop)',
      device: 'desktop',
      os: 'windows',
    });
    expect(bot.fraudFlags).toContain('bot');
    expect(bot.userAgent).not.toContain('Googlebot/2.1');
  });

  it('applies the network settings to offers without an override, and the offer override over them', async () => {
    await publish({
      network: { blockedIps: [], blockedUserAgents: [], privacy: { ipMode: 'truncated' }, revision: 90 },
    });
    try {
      await publishOfferAndAffiliate(offerConfig({ id: 603 }));
      await publishOfferAndAffiliate(offerConfig({ id: 604, privacy: { ipMode: 'full' } }));
      await click('/c/603?aff_id=7', visitor('203.0.113.50'));
      await click('/c/604?aff_id=7', visitor('203.0.113.50'));
      const [followsNetwork] = await eventually(clicksOf(603), (e) => e.length >= 1);
      const [overridden] = await eventually(clicksOf(604), (e) => e.length >= 1);
      expect(followsNetwork?.ip).toBe('203.0.113.0');
      expect(overridden?.ip).toBe('203.0.113.50');
    } finally {
      await publish({ network: { blockedIps: [], blockedUserAgents: [], revision: 91 } });
    }
  });

  it('minimises the ip and agent of a pixel conversion too, and carries its consent parameters', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 605, privacy: { ipMode: 'hashed', userAgentMode: 'parsed' } }),
    );
    const clickId = new URL(
      (await click('/c/605?aff_id=7', visitor('198.51.100.60'))).headers.get('location')!,
    ).searchParams.get('cid')!;
    await SELF.fetch(
      `${EDGE}/p/605.gif?click_id=${clickId}&txid=PRIV-1&gdpr=1&gdpr_consent=${tcString([1, 7])}`,
      {
        headers: { 'user-agent': CHROME_WINDOWS, 'cf-connecting-ip': '198.51.100.60' },
      },
    );
    const events = await eventually(ingest.eventsOf(605), (e) => e.length >= 2);
    const conversion = events.find((e): e is ConversionEvent => e.type === 'conversion')!;
    const clicked = events.find((e): e is ClickEvent => e.type === 'click')!;
    expect(JSON.stringify(events)).not.toContain('198.51.100.60');
    expect(conversion.ip).toBe(clicked.ip);
    expect(conversion).toMatchObject({
      userAgent: 'Chrome (windows; desktop)',
      gdpr: true,
      gdprConsent: tcString([1, 7]),
      consent: null,
    });
  });
});

describe('consent', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('carries consent, TCF and consent mode parameters on the click event; drops malformed ones', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 610 }));
    const tc = tcString([1, 2, 7]);
    await click(
      `/c/610?aff_id=7&sub1=a&consent=yes&gdpr=1&gdpr_consent=${tc}&ad_user_data=denied&ad_personalization=granted`,
      visitor('192.0.2.30'),
    );
    await click(
      '/c/610?aff_id=7&sub1=b&gdpr=maybe&gdpr_consent=%3Cscript%3E&ad_user_data=perhaps',
      visitor('192.0.2.31'),
    );
    const events = await eventually(ingest.eventsOf(610), (e) => e.length >= 2);
    const bySub = new Map(events.flatMap((e) => (e.type === 'click' ? [[e.sub1, e]] : [])));
    expect(bySub.get('a')).toMatchObject({
      consent: 'granted',
      gdpr: true,
      gdprConsent: tc,
      adUserData: 'denied',
      adPersonalization: 'granted',
    });
    expect(bySub.get('b')).toMatchObject({
      consent: null,
      gdpr: null,
      gdprConsent: null,
      adUserData: null,
      adPersonalization: null,
    });
  });

  it('sets the click cookie without consent only when the offer does not require it', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 611 }));
    await publishOfferAndAffiliate(offerConfig({ id: 612, privacy: { consentRequired: true } }));
    const cookie = async (path: string) =>
      (await click(path, visitor('192.0.2.40'))).headers.get('set-cookie');
    expect(await cookie('/c/611?aff_id=7')).toMatch(/^tas_c611=/);
    expect(await cookie('/c/612?aff_id=7')).toBeNull();
    expect(await cookie('/c/612?aff_id=7&consent=denied')).toBeNull();
    expect(await cookie('/c/612?aff_id=7&consent=granted')).toMatch(/^tas_c612=/);
    expect(await cookie(`/c/612?aff_id=7&gdpr=1&gdpr_consent=${tcString([1])}`)).toMatch(/^tas_c612=/);
    // A TC string without purpose 1 (storage) refuses the cookie, whatever `consent` says.
    expect(
      await cookie(`/c/612?aff_id=7&consent=granted&gdpr=1&gdpr_consent=${tcString([2, 7])}`),
    ).toBeNull();
    // Counted all the same: consent decides storage, not whether the click is recorded.
    await eventually(ingest.eventsOf(612), (e) => e.length >= 5);
  });

  it('tells /t.js not to store the click id where consent is required and missing', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 613, privacy: { consentRequired: true } }));
    const register = async (query: string) =>
      (await (await SELF.fetch(`${EDGE}/r/613?aff_id=7${query}`, visitor('192.0.2.41'))).json()) as {
        store: boolean;
      };
    expect((await register('')).store).toBe(false);
    expect((await register('&consent=granted')).store).toBe(true);
    const script = await (await SELF.fetch(`${EDGE}/t.js`)).text();
    expect(script).toContain('j.store !== false');
  });
});
