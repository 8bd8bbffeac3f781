import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Balance = { kind: string; ownerId: string; currency: string; pendingMinor: number; postedMinor: number };
type Transfer = {
  id: number;
  kind: string;
  conversionId: string | null;
  entries: {
    account: { kind: string; ownerId: string };
    layer: string;
    amountMinor: number;
    presentedMinor: number;
  }[];
};

describe.each(testDatabases)('/api/v1/ledger on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    // Three pending conversions of 15.00 payout and 25.00 revenue.
    world = await conversionWorld(app, handle.db, 3);
  });
  afterAll(() => handle.close());

  const get = async <T>(path: string, token: string) => {
    const response = await call(app, 'GET', path, { token });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  it('shows each owner its balance by layer, credit-positive, and follows approvals', async () => {
    const affiliateId = String(world.affiliate.affiliateId);
    const mine = await get<{ data: Balance[] }>('/api/v1/ledger/balances', world.affiliate.accessToken);
    expect(mine.data).toEqual([
      expect.objectContaining({
        kind: 'affiliate_payable',
        ownerId: affiliateId,
        currency: 'USD',
        pendingMinor: 4500,
        postedMinor: 0,
      }),
    ]);
    const ours = await get<{ data: Balance[] }>('/api/v1/ledger/balances', world.advertiser.accessToken);
    // The advertiser owes: negative, as on its statement.
    expect(ours.data).toEqual([
      expect.objectContaining({ kind: 'advertiser', pendingMinor: -7500, postedMinor: 0 }),
    ]);

    const approved = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: world.admin.accessToken,
      body: { action: 'approve', conversionIds: world.conversionIds.slice(0, 2), dryRun: false },
    });
    expect(approved.status).toBe(200);
    const after = await get<{ data: Balance[] }>(
      `/api/v1/ledger/balances?kind=affiliate_payable&ownerId=${affiliateId}`,
      world.admin.accessToken,
    );
    expect(after.data).toEqual([expect.objectContaining({ pendingMinor: 1500, postedMinor: 3000 })]);
    const network = await get<{ data: Balance[] }>(
      '/api/v1/ledger/balances?kind=network_revenue',
      world.admin.accessToken,
    );
    expect(network.data).toEqual([
      expect.objectContaining({ ownerId: 'network', pendingMinor: 1000, postedMinor: 2000 }),
    ]);
  });

  it('lists transfers with their entries, page by page; an owner sees only its own entries', async () => {
    const all = await get<{ data: Transfer[]; nextAfter: number | null }>(
      `/api/v1/ledger/transfers?conversionId=${world.conversionIds[0]}`,
      world.admin.accessToken,
    );
    expect(all.data.map((t) => t.kind)).toEqual(['hold', 'post']);
    const [hold, post] = all.data;
    expect(hold?.entries.map((e) => [e.account.kind, e.layer, e.amountMinor, e.presentedMinor])).toEqual(
      expect.arrayContaining([
        ['advertiser', 'pending', 2500, -2500],
        ['affiliate_payable', 'pending', -1500, 1500],
        ['network_revenue', 'pending', -1000, 1000],
      ]),
    );
    expect(post?.entries.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(0);

    const pages: number[][] = [];
    let after: number | null = null;
    do {
      const page: { data: Transfer[]; nextAfter: number | null } = await get(
        `/api/v1/ledger/transfers?limit=2${after ? `&after=${after}` : ''}`,
        world.affiliate.accessToken,
      );
      pages.push(page.data.map((t) => t.id));
      for (const t of page.data) {
        expect(t.entries.map((e) => e.account)).toEqual(
          t.entries.map(() => ({
            kind: 'affiliate_payable',
            ownerId: String(world.affiliate.affiliateId),
            currency: 'USD',
          })),
        );
      }
      after = page.nextAfter;
    } while (after !== null);
    // Three holds and two posts, in id order.
    expect(pages.flat()).toHaveLength(5);
    expect(pages.flat()).toEqual([...pages.flat()].sort((a, b) => a - b));

    // Newest first, page by page, the same transfers the other way round.
    const newest: number[] = [];
    after = null;
    do {
      const page: { data: Transfer[]; nextAfter: number | null } = await get(
        `/api/v1/ledger/transfers?order=desc&limit=2${after ? `&after=${after}` : ''}`,
        world.affiliate.accessToken,
      );
      newest.push(...page.data.map((t) => t.id));
      after = page.nextAfter;
    } while (after !== null);
    expect(newest).toEqual([...pages.flat()].reverse());
  });

  it('reconciles for admins: clean, and says which processors it could not compare', async () => {
    const result = await get<{
      clean: boolean;
      complete: boolean;
      since: string;
      checks: { name: string; status: string; parts?: { name: string; status: string; reason: string }[] }[];
      differences: unknown[];
    }>('/api/v1/ledger/reconciliation?since=2026-01-01T00:00:00Z', world.admin.accessToken);
    // No processor is configured here, and no money went through one: nothing is left unproven.
    expect(result).toMatchObject({
      clean: true,
      complete: true,
      since: '2026-01-01T00:00:00.000Z',
      differences: [],
    });
    expect(result.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      'transfers:clean',
      'conversions:clean',
      'payouts:clean',
      'invoices:clean',
      'processors:clean',
    ]);
    expect(result.checks[4]?.parts?.map((p) => `${p.name}:${p.status}:${p.reason}`)).toEqual([
      'stripe:not_checked:not_configured',
      'paypal:not_checked:not_configured',
    ]);
  });
});
