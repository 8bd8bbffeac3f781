import { describe, expect, it } from 'vitest';
import { NO_CONSENT_SIGNALS } from './consent.ts';
import { clickEventSchema, trackingEventSchema } from './events.ts';

/** A click event as an edge of this release sends it, sent to the fallback without its cap counter. */
const click = {
  type: 'click',
  id: 'A'.repeat(44),
  occurredAt: '2026-11-30T08:00:00.000Z',
  offerId: 1,
  affiliateId: 1,
  sub1: null,
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  sourceId: null,
  creativeId: null,
  landingPageId: null,
  ip: null,
  userAgent: null,
  country: null,
  device: null,
  os: null,
  referrer: null,
  gclid: null,
  fbclid: null,
  msclkid: null,
  ttclid: null,
  gbraid: null,
  wbraid: null,
  ...NO_CONSENT_SIGNALS,
  outcome: 'fallback',
  reason: 'cap_reached',
  fraudFlags: [],
  unique: true,
  source: 'redirect',
  capCounterUnavailable: true,
  fraudCounterUnavailable: false,
};

describe('click event counter markers (issue 13)', () => {
  it('are accepted, as a cap_reached fallback, by a control plane that predates them', () => {
    // The schema of a control plane older than the markers: the same object without them.
    const older = clickEventSchema.omit({ capCounterUnavailable: true, fraudCounterUnavailable: true });
    const parsed = older.safeParse(click);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ outcome: 'fallback', reason: 'cap_reached' });
    expect(parsed.data).not.toHaveProperty('capCounterUnavailable');
  });

  it('default to false for an event of an edge that predates them', () => {
    const { capCounterUnavailable: _cap, fraudCounterUnavailable: _fraud, ...fromOlderEdge } = click;
    expect(trackingEventSchema.parse(fromOlderEdge)).toMatchObject({
      capCounterUnavailable: false,
      fraudCounterUnavailable: false,
    });
    expect(trackingEventSchema.parse(click)).toMatchObject({ capCounterUnavailable: true });
  });
});
