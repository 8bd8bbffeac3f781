import type { Database } from '../src/db/database.ts';
import { ingestEvents } from '../src/ingest/ingest-events.ts';
import { adminSession, call, type Session, signUp, type TestApp } from './api-client.ts';
import { apiOffer } from './offer-setup.ts';
import { clickEvent, conversionEvent } from './tracking-events.ts';

/**
 * Two advertisers' offers (USD and EUR), two affiliates, clicks around midnight UTC and a few
 * conversions (one rejected), all ingested as the edge sends them.
 */
export async function reportWorld(app: TestApp, db: Database) {
  const admin = await adminSession(app, db);
  const adv1 = await signUp(app, 'advertiser');
  const adv2 = await signUp(app, 'advertiser');
  const aff1 = await signUp(app, 'affiliate');
  const aff2 = await signUp(app, 'affiliate');
  const usd = await apiOffer(app, adv1, {
    visibility: 'public',
    payoutMinor: 1000,
    revenueMinor: 1500,
    currency: 'USD',
  });
  const eur = await apiOffer(app, adv2, {
    visibility: 'public',
    payoutMinor: 700,
    revenueMinor: 1000,
    currency: 'EUR',
  });
  const clicks = [
    await clickEvent({
      offerId: usd.id,
      affiliateId: aff1.affiliateId!,
      occurredAt: '2026-11-20T10:15:00.000Z',
      sub1: 'a',
      sub2: 'x',
    }),
    await clickEvent({
      offerId: usd.id,
      affiliateId: aff1.affiliateId!,
      occurredAt: '2026-11-20T10:45:00.000Z',
      sub1: 'a',
      sub2: 'y',
      unique: false,
    }),
    // 23:40 UTC is already the 21st in Berlin (UTC+1) and in Kolkata (UTC+5:30).
    await clickEvent({
      offerId: usd.id,
      affiliateId: aff2.affiliateId!,
      occurredAt: '2026-11-20T23:40:00.000Z',
      sub1: 'b',
      sub2: 'x',
    }),
    await clickEvent({
      offerId: eur.id,
      affiliateId: aff1.affiliateId!,
      occurredAt: '2026-11-21T08:00:00.000Z',
      sub1: 'a',
      country: 'FR',
      sub2: 'x',
    }),
  ];
  const conversions = [
    conversionEvent(clicks[0]!, { occurredAt: '2026-11-20T10:30:00.000Z' }),
    conversionEvent(clicks[2]!, { occurredAt: '2026-11-20T23:50:00.000Z' }),
    conversionEvent(clicks[3]!, { occurredAt: '2026-11-21T09:00:00.000Z' }),
    conversionEvent(clicks[3]!, { occurredAt: '2026-11-21T09:30:00.000Z', reason: 'cap_reached' }),
  ];
  await ingestEvents(db, { events: [...clicks, ...conversions] });
  return { admin, adv1, adv2, aff1, aff2, usd, eur } satisfies Record<string, Session | { id: number }>;
}

export function report(app: TestApp, token: string, query: string) {
  return call(app, 'GET', `/api/v1/reports?${query}`, { token });
}

/** Sub values a CSV must quote or defuse: separators, quotes, line breaks, formula starts. */
export const AWKWARD_SUBS = [
  'a,b',
  'say "hi"',
  'two\nlines',
  '=HYPERLINK("http://x")',
  '+1',
  '-2',
  '@SUM(A1)',
];

/**
 * `count` clicks over `day` (UTC), 30 s apart, each with its own sub1 (and sub2), alternating
 * between the two affiliates of `w`; the first subs are AWKWARD_SUBS. Grouped by sub1 that is
 * `count` report rows: with more than FETCH_ROWS, more than one FETCH of the CSV export.
 */
export async function manySubClicks(
  db: Database,
  w: Awaited<ReturnType<typeof reportWorld>>,
  options: { day: string; count: number },
) {
  const start = Date.parse(`${options.day}T00:00:00Z`);
  const events = [];
  for (let i = 0; i < options.count; i++) {
    const sub = AWKWARD_SUBS[i] ?? `sub-${String(i).padStart(5, '0')}`;
    events.push(
      await clickEvent({
        offerId: i % 3 ? w.usd.id : w.eur.id,
        affiliateId: (i % 2 ? w.aff2 : w.aff1).affiliateId!,
        occurredAt: new Date(start + ((i * 30) % 86_400) * 1000).toISOString(),
        sub1: sub,
        sub2: `${sub}/2`,
      }),
    );
  }
  for (let i = 0; i < events.length; i += 1000) await ingestEvents(db, { events: events.slice(i, i + 1000) });
}
