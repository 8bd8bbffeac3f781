import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge, createTestOffer } from '../../test/fixtures.ts';
import { noMail } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import type { Principal } from '../auth/principal.ts';
import { changeConversions } from '../conversions/conversion-changes.ts';
import type { ConversionChangeRequest } from '../conversions/conversion-schemas.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { storeBatch } from '../ingest/store-batch.ts';
import { dailySpan, localMidnightUtc, runReport } from './report-query.ts';
import type { ReportQuery, ReportRow } from './report-schemas.ts';

const MEASURES = `clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions,
  approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor`;

const admin: Principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'admin@tas.test',
  role: 'admin',
  advertiserId: null,
  affiliateId: null,
  via: { kind: 'session', sessionId: '00000000-0000-4000-8000-000000000002' },
};

/** The report's additive figures (rates are computed from these, the same way on both paths). */
const ADDITIVE = [
  'clicks',
  'uniqueClicks',
  'cleanClicks',
  'invalidClicks',
  'botClicks',
  'duplicateClicks',
  'blockedClicks',
  'velocityClicks',
  'conversions',
  'approvedConversions',
  'pendingConversions',
  'rejectedConversions',
  'payoutMinor',
  'revenueMinor',
  'profitMinor',
] as const satisfies readonly (keyof ReportRow)[];

/** Report rows by key: period (cut to `periodLength`, or dropped for a total), dimensions, currency. */
function summed(rows: ReportRow[], periodLength: number | null): Map<string, Record<string, number>> {
  const sums = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const period = periodLength === null ? '' : (row.period ?? '').slice(0, periodLength);
    const key = [period, row.offerId, row.affiliateId, row.advertiserId, row.currency].join(' ');
    const sum = sums.get(key) ?? Object.fromEntries(ADDITIVE.map((f) => [f, 0]));
    for (const f of ADDITIVE) sum[f] = (sum[f] ?? 0) + Number(row[f] ?? 0);
    sums.set(key, sum);
  }
  return sums;
}

describe.each(testDatabases)('daily_offer_stats on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  /** hourly_stats summed by UTC day, offer and affiliate, and the daily rollup, as text rows. */
  const both = async () => {
    const sums = MEASURES.split(',')
      .map((m) => `sum(${m.trim()})::bigint`)
      .join(', ');
    const fine = await queryRows<{ r: string }>(
      handle.db,
      sql.raw(`SELECT concat_ws(' ', date_trunc('day', hour, 'UTC'), offer_id, affiliate_id, ${sums}) AS r
               FROM hourly_stats GROUP BY date_trunc('day', hour, 'UTC'), offer_id, affiliate_id ORDER BY 1`),
    );
    const daily = await queryRows<{ r: string }>(
      handle.db,
      sql.raw(
        `SELECT concat_ws(' ', day, offer_id, affiliate_id, ${MEASURES}) AS r FROM daily_offer_stats ORDER BY 1`,
      ),
    );
    return { fine: fine.map((x) => x.r), daily: daily.map((x) => x.r) };
  };

  /** The same report by day (daily rollup) and by hour (hourly rollup) summed by day, or as totals. */
  const bothPaths = async (query: ReportQuery) => {
    const direct = await runReport(handle.db, admin, query);
    const hourly = await runReport(handle.db, admin, { ...query, granularity: 'hour' });
    const periodLength = query.granularity === 'total' ? null : 10;
    return {
      direct: summed(direct, periodLength),
      fromHours: summed(hourly, periodLength),
      rows: direct.length,
    };
  };

  it('equals the hourly rollup summed by day after ingest, status changes, updates and deletes, and reports agree', async () => {
    const db = handle.db;
    const [a, b] = [await createTestOffer(db), await createTestOffer(db)];
    const events = [];
    const conversionIds: string[] = [];
    // Three days, with clicks on both sides of each UTC midnight and Berlin's.
    for (let i = 0; i < 60; i++) {
      const click = await clickEvent({
        offerId: i % 2 ? a.id : b.id,
        affiliateId: 1 + (i % 3),
        sub1: `s${i % 5}`,
        country: i % 4 ? 'DE' : 'US',
        occurredAt: new Date(Date.parse('2026-11-19T20:00:00Z') + i * 4_000_000).toISOString(),
        fraudFlags: i % 7 === 0 ? ['bot'] : [],
      });
      events.push(click);
      if (i % 3 === 0) {
        const conversion = conversionEvent(click, { occurredAt: click.occurredAt });
        conversionIds.push(conversion.id);
        events.push(conversion);
      }
    }
    // Two batches at once: concurrent statements on the same days.
    await Promise.all([storeBatch(db, events.slice(0, 40)), storeBatch(db, events.slice(40))]);
    let state = await both();
    expect(state.daily.length).toBeGreaterThan(6);
    expect(state.daily).toEqual(state.fine);

    // Conversions approved and rejected later move their rows (conversion-changes.ts).
    const change = (request: Pick<ConversionChangeRequest, 'action' | 'conversionIds'>) =>
      changeConversions({ db, edge: acceptingEdge, mailer: noMail }, admin, {
        dryRun: false,
        reason: 'test',
        ...request,
      } as ConversionChangeRequest);
    const stored = await queryRows<{ id: string }>(db, sql`SELECT id FROM conversions ORDER BY occurred_at`);
    expect(stored.length).toBe(conversionIds.length);
    expect(
      (await change({ action: 'reject', conversionIds: stored.slice(0, 8).map((r) => r.id) })).changed,
    ).toBe(8);
    await change({ action: 'approve', conversionIds: stored.slice(8).map((r) => r.id) });
    state = await both();
    expect(state.daily).toEqual(state.fine);

    // Any other writer of hourly_stats: a change in place and rows removed.
    await db.execute(sql`UPDATE hourly_stats SET rejected_conversions = rejected_conversions + 1,
                         conversions = conversions - 1, payout_minor = payout_minor - 1500
                         WHERE conversions > 0 AND sub1 = 's0'`);
    await db.execute(sql`DELETE FROM hourly_stats WHERE sub1 = 's4'`);
    state = await both();
    expect(state.daily).toEqual(state.fine);

    const month: ReportQuery = {
      from: '2026-11-19',
      to: '2026-11-23',
      timezone: 'UTC',
      granularity: 'day',
      groupBy: ['offer', 'affiliate'],
      format: 'json',
    };
    const byDay = await bothPaths(month);
    expect(byDay.rows).toBeGreaterThan(6);
    expect(byDay.direct).toEqual(byDay.fromHours);
    const byAdvertiser = await bothPaths({ ...month, groupBy: ['advertiser'], offerId: a.id });
    expect(byAdvertiser.direct).toEqual(byAdvertiser.fromHours);
    const byAffiliate = await bothPaths({ ...month, groupBy: ['affiliate', 'advertiser'] });
    expect(byAffiliate.direct).toEqual(byAffiliate.fromHours);
    // A total in Berlin: whole UTC days from the daily rollup, the hour before each from the hourly.
    const berlin = await bothPaths({
      ...month,
      timezone: 'Europe/Berlin',
      granularity: 'total',
      affiliateId: 2,
    });
    expect(berlin.rows).toBeGreaterThan(0);
    expect(berlin.direct).toEqual(berlin.fromHours);
  });

  it('is read only for whole UTC days', () => {
    const query = (q: Partial<ReportQuery>): ReportQuery => ({
      from: '2026-11-01',
      to: '2026-11-30',
      timezone: 'UTC',
      granularity: 'day',
      groupBy: ['offer', 'affiliate'],
      format: 'json',
      ...q,
    });
    const span = (q: ReportQuery) => {
      const dayAfter = new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const days = dailySpan(q, localMidnightUtc(q.from, q.timezone), localMidnightUtc(dayAfter, q.timezone));
      return days && [days.from.toISOString(), days.to.toISOString()];
    };
    expect(span(query({}))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(span(query({ granularity: 'total' }))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
    // London is at offset 0 in winter: its days are UTC days. Not across the change in March.
    expect(span(query({ timezone: 'Europe/London' }))).not.toBeNull();
    expect(span(query({ timezone: 'Europe/London', from: '2027-03-20', to: '2027-04-05' }))).toBeNull();
    // Berlin's days are not UTC days; a Berlin total takes the whole UTC days inside its range.
    expect(span(query({ timezone: 'Europe/Berlin' }))).toBeNull();
    expect(span(query({ timezone: 'Europe/Berlin', granularity: 'total' }))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(span(query({ granularity: 'hour' }))).toBeNull();
    expect(span(query({ groupBy: ['offer', 'sub1'] }))).toBeNull();
    // India's half hours: not even the hourly rollup.
    expect(span(query({ timezone: 'Asia/Kolkata', granularity: 'total' }))).toBeNull();
  });
});
