import { env, SELF } from 'cloudflare:test';
import type { ClickEvent } from '@tas/shared/events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { click, EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';
import type { CapCounter } from '../caps/cap-counter.ts';
import type { FraudCounter } from '../fraud/fraud-counter.ts';

const down = () => Promise.reject(new Error('Durable Object unreachable (test)'));

/** Every Durable Object of the namespace answers with an error, as when it cannot be reached. */
function unreachable(namespace: 'CAPS' | 'FRAUD') {
  if (namespace === 'CAPS') {
    const stub = { acquire: down, full: down, giveBack: down, release: down, reserve: down, usage: down };
    return vi
      .spyOn(env.CAPS, 'get')
      .mockImplementation(() => stub as unknown as DurableObjectStub<CapCounter>);
  }
  const stub = { checkClick: down };
  return vi
    .spyOn(env.FRAUD, 'get')
    .mockImplementation(() => stub as unknown as DurableObjectStub<FraudCounter>);
}

const visitor = (ip: string, userAgent = CHROME_WINDOWS) => ({
  headers: { 'user-agent': userAgent, 'cf-connecting-ip': ip },
});
const clicksOf = (ingest: ReturnType<typeof captureIngest>, offerId: number) => () =>
  ingest
    .eventsOf(offerId)()
    .flatMap((e): ClickEvent[] => (e.type === 'click' ? [e] : []));
const dailyClicks = (n: number) => ({
  offer: { dailyClicks: n, monthlyClicks: null, dailyConversions: null, monthlyConversions: null },
});

/**
 * A click decided without one of its counters says so in its event (issue 13), so the control
 * plane can tell a counter outage from a cap reached (TasCapCounterUnavailable) or from a clean
 * click. What the visitor gets is unchanged: caps fail closed, fraud counters fail open.
 */
describe('clicks whose counters cannot be reached', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    ingest.restore();
  });

  it('sends a capped click to the fallback as cap_reached, marked capCounterUnavailable and not payable', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 1300, caps: dailyClicks(100) }));
    const broken = unreachable('CAPS');
    const response = await click('/c/1300?aff_id=7', visitor('192.0.2.30'));
    broken.mockRestore();
    expect(response.headers.get('location')).toBe('https://fallback.test/');
    const [event] = await eventually(clicksOf(ingest, 1300), (e) => e.length >= 1);
    expect(event).toMatchObject({
      outcome: 'fallback',
      reason: 'cap_reached',
      capCounterUnavailable: true,
      fraudCounterUnavailable: false,
    });

    // Its click id was signed not payable: a conversion on it is recorded, rejected.
    await SELF.fetch(`${EDGE}/postback?click_id=${event?.id}&txid=OUTAGE-1`);
    const [conversion] = await eventually(
      () =>
        ingest
          .eventsOf(1300)()
          .flatMap((e) => (e.type === 'conversion' ? [e] : [])),
      (e) => e.length >= 1,
    );
    expect(conversion?.reason).toBe('click_not_payable');
  });

  it('keeps a cap really reached unmarked', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 1301, caps: dailyClicks(1) }));
    await click('/c/1301?aff_id=7', visitor('192.0.2.31'));
    await click('/c/1301?aff_id=7', visitor('192.0.2.32'));
    const events = await eventually(clicksOf(ingest, 1301), (e) => e.length >= 2);
    expect(events.map((e) => [e.reason, e.capCounterUnavailable]).sort()).toEqual(
      [
        [null, false],
        ['cap_reached', false],
      ].sort(),
    );
  });

  it("marks a bot's click too, whose cap is only looked at", async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 1302, caps: dailyClicks(100) }));
    const broken = unreachable('CAPS');
    const response = await click('/c/1302?aff_id=7', visitor('192.0.2.33', 'curl/8.5.0'));
    broken.mockRestore();
    expect(response.headers.get('location')).toBe('https://fallback.test/');
    const [event] = await eventually(clicksOf(ingest, 1302), (e) => e.length >= 1);
    expect(event).toMatchObject({
      reason: 'cap_reached',
      fraudFlags: ['bot'],
      capCounterUnavailable: true,
    });
  });

  it('lets a click through unchecked when its fraud counter cannot be reached, before or after the answer, and says so', async () => {
    const fraud = { duplicateClickWindowSeconds: 3600 };
    await publishOfferAndAffiliate(offerConfig({ id: 1303, fraud: { ...fraud, action: 'fallback' } }));
    await publishOfferAndAffiliate(offerConfig({ id: 1304, fraud: { ...fraud, action: 'flag' } }));
    const broken = unreachable('FRAUD');
    const before = await click('/c/1303?aff_id=7', visitor('192.0.2.34'));
    const after = await click('/c/1304?aff_id=7', visitor('192.0.2.34'));
    expect(before.headers.get('location')).toMatch(/^https:\/\/adv\.test\//);
    expect(after.headers.get('location')).toMatch(/^https:\/\/adv\.test\//);
    for (const offerId of [1303, 1304]) {
      const [event] = await eventually(clicksOf(ingest, offerId), (e) => e.length >= 1);
      expect(event).toMatchObject({
        outcome: 'redirect',
        reason: null,
        fraudFlags: [],
        unique: true,
        capCounterUnavailable: false,
        fraudCounterUnavailable: true,
      });
    }
    broken.mockRestore();
    // Reached again, the counter answers as usual and the mark goes.
    await click('/c/1304?aff_id=7', visitor('192.0.2.35'));
    const events = await eventually(clicksOf(ingest, 1304), (e) => e.length >= 2);
    expect(events.find((e) => e.ip === '192.0.2.35')?.fraudCounterUnavailable).toBe(false);
  });
});
