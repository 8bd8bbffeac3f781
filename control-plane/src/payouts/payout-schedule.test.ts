import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCipher } from '../../test/payout-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { payoutRuns } from '../db/schema/payouts.ts';
import { noProcessors } from '../processors/processor-deps.ts';
import { duePeriod, isoWeek, startDuePayoutRuns } from './payout-schedule.ts';
import { DEFAULT_NETWORK_PAYOUT_SETTINGS, saveNetworkPayoutSettings } from './payout-settings.ts';

const at = (iso: string) => new Date(iso);

describe('duePeriod', () => {
  const network = { ...DEFAULT_NETWORK_PAYOUT_SETTINGS, weeklyDay: 3, monthlyDay: 15 };
  it('names ISO weeks, across the year boundary', () => {
    expect(isoWeek(at('2026-12-31T12:00:00Z'))).toEqual({ year: 2026, week: 53, weekday: 4 });
    expect(isoWeek(at('2027-01-04T00:00:00Z'))).toEqual({ year: 2027, week: 1, weekday: 1 });
  });
  it('is due from the weekday or day to the end of the week or month', () => {
    expect(duePeriod(at('2026-11-24T10:00:00Z'), network, 'weekly')).toBeNull(); // Tuesday
    expect(duePeriod(at('2026-11-25T00:00:00Z'), network, 'weekly')).toBe('weekly:2026-W48');
    expect(duePeriod(at('2026-11-29T23:59:00Z'), network, 'weekly')).toBe('weekly:2026-W48');
    expect(duePeriod(at('2026-11-14T23:59:00Z'), network, 'monthly')).toBeNull();
    expect(duePeriod(at('2026-11-15T00:00:00Z'), network, 'monthly')).toBe('monthly:2026-11');
  });
});

describe.each(testDatabases)('scheduled payout runs on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('starts nothing unless automatic, then one run per period however often it looks', async () => {
    const deps = {
      db: handle.db,
      processors: noProcessors(),
      cipher: testCipher,
      now: () => at('2026-11-16T08:00:00Z'),
    };
    expect(await startDuePayoutRuns(deps)).toEqual([]);
    await saveNetworkPayoutSettings(handle.db, {
      ...DEFAULT_NETWORK_PAYOUT_SETTINGS,
      automatic: true,
      monthlyDay: 1,
    });
    expect(await startDuePayoutRuns(deps)).toEqual(['monthly:2026-11']);
    expect(await startDuePayoutRuns(deps)).toEqual([]);
    const runs = await handle.db.select().from(payoutRuns);
    expect(runs).toMatchObject([
      { periodKey: 'monthly:2026-11', schedule: 'monthly', startedBy: null, status: 'completed' },
    ]);
  });
});
