import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFromNow, payableWorld, setPayoutMethod, testCipher } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { payouts } from '../db/schema/payouts.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';
import { noProcessors } from '../processors/processor-deps.ts';
import { checkPayouts } from './payout-reconciliation.ts';
import { startRun } from './payout-run.ts';
import { settlePayoutNow } from './payout-settlement.ts';

describe.each(testDatabases)('payout reconciliation on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  const check = () => reconcileLedger(handle.db, { checks: [{ name: 'payouts', run: checkPayouts }] });

  it("finds each payout's ledger steps as its state calls for, and names a payout whose state went astray", async () => {
    const app = testApp(handle.db);
    const deps = {
      db: handle.db,
      processors: noProcessors(),
      cipher: testCipher,
      now: () => daysFromNow(31),
    };
    for (let i = 0; i < 2; i++) {
      const world = await payableWorld(app, handle.db, 4);
      await setPayoutMethod(handle.db, world.affiliate.affiliateId ?? 0, 'bank_transfer');
    }
    await startRun(deps, { startedBy: null });
    const [first, second] = await handle.db.select().from(payouts).orderBy(payouts.id);
    await settlePayoutNow(handle.db, first?.id ?? '', { kind: 'paid' });
    await settlePayoutNow(handle.db, second?.id ?? '', { kind: 'failed', reason: 'bank refused' });
    expect(await check()).toMatchObject({ clean: true, checks: [{ name: 'payouts', status: 'clean' }] });

    // A payout row changed by hand to paid without its settlement in the ledger.
    await handle.db
      .update(payouts)
      .set({ status: 'paid' })
      .where(eq(payouts.id, second?.id ?? ''));
    const result = await check();
    expect(result.differences).toEqual([
      expect.objectContaining({ code: 'payout_steps_mismatch', payoutId: second?.id }),
    ]);
  });
});
