import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { afterThisMonth, owingWorld } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { invoices } from '../db/schema/invoices.ts';
import { noProcessors } from '../processors/processor-deps.ts';
import { startInvoiceScheduler } from './invoice-scheduler.ts';

describe.each(testDatabases)('the invoice scheduler on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it('invoices by itself once a period has ended, once however often it looks', async () => {
    const processors = fakes.processors();
    const app = testApp(handle.db, { processors });
    const world = await owingWorld(app, handle.db);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const task = startInvoiceScheduler({ db: handle.db, processors, now: () => afterThisMonth() }, 5);
    const mine = () =>
      handle.db.select().from(invoices).where(eq(invoices.advertiserId, world.advertiser.advertiserId!));
    await vi.waitFor(async () => expect((await mine()).map((i) => i.status)).toEqual(['open']), {
      timeout: 5000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task?.stop();
    log.mockRestore();
    expect(await mine()).toHaveLength(1);
    expect(fakes.stripe.invoices.size).toBe(1);
  });

  it('does not start without Stripe', () => {
    expect(startInvoiceScheduler({ db: handle.db, processors: noProcessors() })).toBeNull();
  });
});
