import { configure, render, screen, within } from '@testing-library/react';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { fakeApi, type Routes, thrown } from '~/components/ad-platforms/fake-api.test-helpers';
import { roiRange } from '~/components/ad-platforms/roi';
import type { Schemas } from '~/lib/api.server';
import type { Viewer } from '~/lib/auth.server';
import RoiReport, { loader } from './_app.reports_.roi';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const row = (overrides: Partial<Schemas['RoiRow']> = {}): Schemas['RoiRow'] => ({
  offerId: 3,
  offerName: 'Spring sale',
  day: null,
  currency: 'USD',
  conversions: 40,
  saleAmountMinor: 400_000,
  revenueMinor: 80_000,
  payoutMinor: null,
  costMinor: 100_000,
  adClicks: 900,
  impressions: 50_000,
  profitMinor: 220_000,
  roas: 4,
  roi: 1.2222,
  ...overrides,
});

function setup(role: Viewer['role'], rows: Schemas['RoiRow'][], routes: Routes = {}) {
  const { calls, context } = fakeApi(role, {
    'GET /api/v1/reports/roi': { data: { data: rows } },
    ...routes,
  });
  const show = (initial = '/reports/roi') => {
    const Stub = createRoutesStub(
      [{ path: '/reports/roi', Component: RoiReport as never, loader: loader as never }],
      context,
    );
    render(<Stub initialEntries={[initial]} />);
  };
  return { calls, context, show };
}

describe('the ROI report', () => {
  it('is refused to an affiliate', async () => {
    const { calls, context } = setup('affiliate', []);
    expect(
      await thrown(
        loader({ request: new Request('http://localhost/reports/roi'), params: {}, context } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });

  it('defaults to the last 30 UTC days', () => {
    expect(roiRange(new URLSearchParams(), new Date('2026-11-30T01:00:00Z'))).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(
      roiRange(new URLSearchParams('from=2026-11-10&to=2026-11-01'), new Date('2026-11-30T01:00:00Z')),
    ).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('shows ROAS and ROI per row, totals per currency, and says what unmapped spend is', async () => {
    const { show, calls } = setup('advertiser', [
      row(),
      row({
        offerId: 4,
        offerName: 'Winter sale',
        conversions: 10,
        saleAmountMinor: 50_000,
        revenueMinor: 20_000,
        costMinor: 60_000,
        profitMinor: -30_000,
        roas: 0.8333,
        roi: -0.375,
      }),
      row({
        offerId: 5,
        offerName: 'Euro shop',
        currency: 'EUR',
        conversions: 5,
        saleAmountMinor: 30_000,
        revenueMinor: 5_000,
        costMinor: 10_000,
        profitMinor: 15_000,
        roas: 3,
        roi: 1,
      }),
      row({
        offerId: null,
        offerName: null,
        conversions: 0,
        saleAmountMinor: 0,
        revenueMinor: 0,
        costMinor: 25_000,
        profitMinor: -25_000,
        roas: 0,
        roi: -1,
      }),
    ]);
    show('/reports/roi?from=2026-11-01&to=2026-11-30');
    const table = await screen.findByRole('table', { name: 'Return on ad spend' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Spring sale');
    expect(rows[1]).toHaveTextContent('$4,000.00');
    expect(rows[1]).toHaveTextContent('$1,000.00');
    expect(rows[1]).toHaveTextContent('4.00×');
    expect(rows[1]).toHaveTextContent('122.2%');
    expect(rows[2]).toHaveTextContent('0.83×');
    expect(rows[2]).toHaveTextContent('-37.5%');
    expect(rows[2]).toHaveTextContent('-$300.00');
    expect(rows[3]).toHaveTextContent('€300.00');
    expect(rows[4]).toHaveTextContent('Unmapped spend');
    // No payout column for an advertiser.
    expect(within(table).queryByRole('columnheader', { name: 'Payout' })).toBeNull();
    // USD: sale 4,500.00, revenue 1,000.00, cost 1,850.00, profit 1,650.00 -> ROAS 2.43×, ROI 1650/2850.
    const usd = within(table).getByRole('row', { name: 'Total USD' });
    expect(usd).toHaveTextContent('$4,500.00');
    expect(usd).toHaveTextContent('$1,850.00');
    expect(usd).toHaveTextContent('$1,650.00');
    expect(usd).toHaveTextContent('2.43×');
    expect(usd).toHaveTextContent('57.9%');
    const eur = within(table).getByRole('row', { name: 'Total EUR' });
    expect(eur).toHaveTextContent('€300.00');
    expect(eur).toHaveTextContent('3.00×');
    expect(eur).toHaveTextContent('100.0%');
    expect(screen.getByText(/was spent on campaigns not mapped to an offer/)).toHaveTextContent('$250.00');
    expect(calls.find((c) => c.path === '/api/v1/reports/roi')?.init).toEqual({
      params: { query: { from: '2026-11-01', to: '2026-11-30', groupBy: 'offer' } },
    });
  });

  it('shows the payout to admins, per day, for the advertiser chosen', async () => {
    const { show, calls } = setup('admin', [
      row({ day: '2026-11-02', payoutMinor: 30_000, profitMinor: -50_000, roi: -0.3846 }),
    ]);
    show('/reports/roi?groupBy=day&advertiserId=7');
    const table = await screen.findByRole('table', { name: 'Return on ad spend' });
    expect(within(table).getByRole('columnheader', { name: 'Payout' })).toBeInTheDocument();
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('2026-11-02');
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('$300.00');
    // Admin ROI: profit / (payout + cost) = -500 / 1,300.
    expect(within(table).getByRole('row', { name: 'Total USD' })).toHaveTextContent('-38.5%');
    expect(screen.getByLabelText('Advertiser')).toHaveValue('7');
    expect(calls.find((c) => c.path === '/api/v1/reports/roi')?.init).toMatchObject({
      params: { query: { groupBy: 'day', advertiserId: '7' } },
    });
  });

  it('says what to do when there is nothing in the range', async () => {
    const { show } = setup('advertiser', []);
    show();
    expect(await screen.findByText('No conversions or ad spend in this range')).toBeInTheDocument();
  });
});
