import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session } from '../../test/api-client.ts';
import { afterThisMonth, owingWorld, thisMonth } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type InvoiceBody = {
  id: string;
  advertiserId: number;
  advertiserName: string;
  status: string;
  amountMinor: number;
  period: string;
  number: string | null;
  hostedInvoiceUrl: string | null;
  dueAt: string | null;
  lines: { description: string; amountMinor: number }[];
  failure: string | null;
};

describe.each(testDatabases)('/api/v1/invoices on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    // The app's clock is an hour into next month: this month has ended.
    app = testApp(handle.db, { processors: fakes.processors(), now: () => afterThisMonth() });
    const world = await owingWorld(app, handle.db);
    admin = world.admin;
    advertiser = world.advertiser;
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it('lets an admin preview a run, run it, and see every invoice', async () => {
    const preview = await call(app, 'POST', '/api/v1/invoices/run', { token: admin.accessToken, body: {} });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      dryRun: true,
      decisions: [
        {
          advertiserId: advertiser.advertiserId,
          currency: 'USD',
          period: thisMonth().name,
          chargesMinor: 10_000,
          amountMinor: 10_000,
          daysUntilDue: 30,
          outcome: 'invoice',
        },
      ],
      issued: [],
    });
    const listedBefore = await call(app, 'GET', '/api/v1/invoices', { token: admin.accessToken });
    expect(((await listedBefore.json()) as { data: unknown[] }).data).toEqual([]);

    const run = await call(app, 'POST', '/api/v1/invoices/run', {
      token: admin.accessToken,
      body: { dryRun: false },
    });
    expect(run.status).toBe(200);
    const body = (await run.json()) as {
      dryRun: boolean;
      issued: { invoice: InvoiceBody; failure: string | null }[];
    };
    expect(body.dryRun).toBe(false);
    expect(body.issued).toEqual([
      {
        invoice: expect.objectContaining({
          advertiserId: advertiser.advertiserId,
          advertiserName: 'advertiser co',
          status: 'open',
          amountMinor: 10_000,
          number: expect.stringMatching(/^TASFAKE-/),
        }),
        failure: null,
      },
    ]);
    const listed = await call(
      app,
      'GET',
      `/api/v1/invoices?advertiserId=${advertiser.advertiserId}&status=open`,
      {
        token: admin.accessToken,
      },
    );
    const page = (await listed.json()) as { data: InvoiceBody[]; nextAfter: string | null };
    expect(page.data.map((i) => i.id)).toEqual([body.issued[0]!.invoice.id]);
    expect(page.nextAfter).toBeNull();
  });

  it('shows an advertiser its invoices with the hosted page to pay them on', async () => {
    const listed = await call(app, 'GET', '/api/v1/invoices', { token: advertiser.accessToken });
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as { data: InvoiceBody[] };
    expect(data).toHaveLength(1);
    const [invoice] = data;
    expect(invoice).toMatchObject({
      status: 'open',
      period: thisMonth().name,
      hostedInvoiceUrl: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\//),
      lines: [{ amountMinor: 10_000, description: expect.stringContaining('4 conversions charged') }],
      failure: null,
    });
    expect(invoice?.dueAt).not.toBeNull();
    const one = await call(app, 'GET', `/api/v1/invoices/${invoice!.id}`, { token: advertiser.accessToken });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(invoice);
  });
});
