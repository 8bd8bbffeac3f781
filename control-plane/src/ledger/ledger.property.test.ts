import { statusUpdateIdFor } from '@tas/shared/conversion-id';
import type { ConversionEvent } from '@tas/shared/events';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptingEdge } from '../../test/fixtures.ts';
import { noMail } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import type { Principal } from '../auth/principal.ts';
import { applyStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import { changeConversions } from '../conversions/conversion-changes.ts';
import type { ConversionChangeRequest } from '../conversions/conversion-schemas.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import { createOffer } from '../offers/offer-service.ts';
import { readConversionPositions, syncConversionLedger } from './conversion-ledger.ts';
import { checkTransfers, conversionDifferences, reconcileLedger } from './reconciliation.ts';

const admin: Principal = {
  userId: '00000000-0000-4000-8000-00000000000a',
  email: 'admin@tas.test',
  role: 'admin',
  advertiserId: null,
  affiliateId: null,
  via: { kind: 'session', sessionId: '00000000-0000-4000-8000-00000000000b' },
};

const status = fc.constantFrom(null, 'pending', 'approved', 'rejected') as fc.Arbitrary<
  ConversionEvent['advertiserStatus']
>;

/** What may happen to conversions, in any order: indexes pick among the conversions stored so far. */
const step = fc.oneof(
  fc.record({
    op: fc.constant('ingest' as const),
    conversions: fc.array(
      fc.record({ offer: fc.nat(1), status, amountMinor: fc.integer({ min: 0, max: 1_000_000 }) }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({ op: fc.constant('replay' as const), batch: fc.nat() }),
  fc.record({
    op: fc.constant('change' as const),
    action: fc.constantFrom('approve', 'pend', 'reject', 'reverse', 'adjust') as fc.Arbitrary<
      ConversionChangeRequest['action']
    >,
    targets: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    payoutMinor: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
    revenueMinor: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('postback' as const),
    target: fc.nat(),
    status: fc.constantFrom('pending', 'approved', 'rejected') as fc.Arbitrary<
      'pending' | 'approved' | 'rejected'
    >,
  }),
  fc.record({ op: fc.constant('sync' as const) }),
);

describe('the ledger, under any sequence of conversions and changes (PGlite)', () => {
  let handle: DatabaseHandle;
  const offers: number[] = [];
  beforeAll(async () => {
    handle = await openTestPglite();
    const advertiser = await createAdvertiser(handle.db, { companyName: 'P' });
    const base = {
      advertiserId: advertiser.id,
      name: 'O',
      status: 'active' as const,
      destinationUrl: 'https://adv.example/',
    };
    const deps = { db: handle.db, edge: acceptingEdge, now: () => new Date('2026-11-01T00:00:00Z') };
    offers.push(
      (await createOffer(deps, { ...base, payoutType: 'cpa', payoutMinor: 1500, revenueMinor: 2500 })).id,
    );
    // A revenue share in euros: figures follow each sale, in another currency's accounts.
    offers.push(
      (
        await createOffer(deps, {
          ...base,
          payoutType: 'revshare',
          payoutBps: 1000,
          revenueBps: 1500,
          currency: 'EUR',
        })
      ).id,
    );
  });
  afterAll(() => handle.close());

  it('keeps every transfer balanced and the ledger equal to the conversions, replays included', async () => {
    let affiliate = 100;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const db = handle.db;
        const affiliateId = affiliate++;
        const stored: ConversionEvent[] = [];
        const batches: ConversionEvent[][] = [];
        const pick = (n: number) => stored[n % stored.length];
        for (const s of steps) {
          if (s.op === 'ingest') {
            const batch: ConversionEvent[] = [];
            for (const c of s.conversions) {
              const click = await clickEvent({ offerId: offers[c.offer]!, affiliateId });
              batch.push(
                conversionEvent(click, {
                  advertiserStatus: c.status,
                  amountMinor: c.amountMinor,
                  currency: c.offer === 0 ? 'USD' : 'EUR',
                }),
              );
            }
            await ingestEvents(db, { events: batch });
            batches.push(batch);
            stored.push(...batch);
          } else if (s.op === 'replay' && batches.length > 0) {
            const again = await ingestEvents(db, { events: batches[s.batch % batches.length]! });
            expect(again.conversionsInserted).toBe(0);
          } else if (s.op === 'change' && stored.length > 0) {
            const adjust = s.action === 'adjust';
            await changeConversions({ db, edge: acceptingEdge, mailer: noMail }, admin, {
              action: s.action,
              conversionIds: [...new Set(s.targets.map((t) => pick(t)!.id))],
              ...(adjust ? { payoutMinor: s.payoutMinor ?? 0, revenueMinor: s.revenueMinor } : {}),
              reason: 'property',
              dryRun: false,
            });
          } else if (s.op === 'postback' && stored.length > 0) {
            const c = pick(s.target)!;
            const occurredAt = new Date().toISOString();
            const id = await statusUpdateIdFor({
              conversionId: c.id,
              status: s.status,
              clickId: c.clickId,
              occurredAt,
            });
            await ingestEvents(db, {
              events: [
                {
                  type: 'conversion_status',
                  id,
                  occurredAt,
                  conversionId: c.id,
                  clickId: c.clickId,
                  offerId: c.offerId,
                  status: s.status,
                  trusted: true,
                },
              ],
            });
            await applyStatusUpdates(db, new Date());
          } else if (s.op === 'sync' && stored.length > 0) {
            // Posting again from the same figures posts nothing.
            const again = await syncConversionLedger(
              db,
              stored.map((c) => c.id),
            );
            expect(again.posted).toBe(0);
          }
        }
        // This run's conversions hold what their figures say (checked apart from earlier runs, so
        // a counterexample shrinks to its own steps), and every transfer balances.
        const positions = await readConversionPositions(
          db,
          stored.map((c) => c.id),
        );
        expect(positions.flatMap(conversionDifferences)).toEqual([]);
        const unbalanced: unknown[] = [];
        await checkTransfers(db, (d) => unbalanced.push(d));
        expect(unbalanced).toEqual([]);
      }),
      { numRuns: 30 },
    );
    const result = await reconcileLedger(handle.db);
    expect(result.differences).toEqual([]);
    expect(result.clean).toBe(true);
  }, 300_000);
});
