import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fakeAuth,
  type ReportCall,
  row,
  stubResizeObserver,
} from '~/components/reports/fake-api.test-helpers';
import { apiQuery, parseReportView, previousRange } from '~/components/reports/report-view';
import { TooltipProvider } from '~/components/ui/tooltip';
import Reports, { loader } from './_app.reports';

function HydrateFallback() {
  return null;
}

beforeAll(stubResizeObserver);

function renderReports(
  url: string,
  role: 'admin' | 'advertiser' | 'affiliate',
  reports: (q: ReportCall) => ReturnType<typeof row>[] | null,
) {
  const { calls, context } = fakeAuth(role, reports);
  const Stub = createRoutesStub([
    {
      path: '/reports',
      Component: Reports as never,
      HydrateFallback,
      loader: (args) => loader({ ...args, context } as never),
    },
  ]);
  render(
    <TooltipProvider>
      <Stub initialEntries={[url]} />
    </TooltipProvider>,
  );
  return { calls, user: userEvent.setup() };
}

describe('report URL state', () => {
  it('reads every choice from the URL and asks the API for exactly that', () => {
    const params = new URLSearchParams(
      'range=custom&from=2026-11-01&to=2026-11-07&tz=Europe/Berlin&granularity=total&groupBy=offer,country,bogus&offerId=4&affiliateId=7&advertiserId=3&compare=0&sort=conversions:asc&page=3',
    );
    const view = parseReportView(params, 'admin');
    expect(apiQuery(view)).toEqual({
      from: '2026-11-01',
      to: '2026-11-07',
      timezone: 'Europe/Berlin',
      granularity: 'total',
      groupBy: 'offer,country',
      offerId: '4',
      affiliateId: '7',
      advertiserId: '3',
    });
    expect(view).toMatchObject({ compare: false, sort: { key: 'conversions', desc: false }, page: 3 });
    // The previous period is as long, just before.
    expect(previousRange(view.range, view.preset)).toEqual({ from: '2026-10-25', to: '2026-10-31' });
  });

  it('drops what a role cannot ask for: an affiliate filters by offer only and never groups by affiliate', () => {
    const params = new URLSearchParams(
      'range=last_7_days&tz=UTC&groupBy=affiliate,sub1&affiliateId=9&advertiserId=3&offerId=2',
    );
    const view = parseReportView(params, 'affiliate', { now: new Date('2026-11-29T12:00:00Z') });
    expect(apiQuery(view)).toEqual({
      from: '2026-11-23',
      to: '2026-11-29',
      timezone: 'UTC',
      granularity: 'day',
      groupBy: 'sub1',
      offerId: '2',
    });
  });

  it('falls back on nonsense instead of failing: unknown zone, reversed dates, hours over a quarter', () => {
    const now = new Date('2026-11-29T23:30:00Z');
    const view = parseReportView(
      new URLSearchParams('range=custom&from=2026-11-09&to=2026-11-01&tz=Mars/Base&granularity=hour&page=-2'),
      'admin',
      { now, timezone: 'America/New_York' },
    );
    expect(view.timezone).toBe('America/New_York');
    // 23:30 UTC is still the 29th in New York: the last 7 days end there.
    expect(view.range).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(view.page).toBe(1);
    const long = parseReportView(new URLSearchParams('range=last_month&granularity=hour&tz=UTC'), 'admin', {
      now,
    });
    expect(long.range).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(long.granularity).toBe('hour');
    const quarter = parseReportView(
      new URLSearchParams('range=custom&from=2026-08-01&to=2026-11-01&granularity=hour&tz=UTC'),
      'admin',
    );
    expect(quarter.granularity).toBe('day');
  });
});

describe('reports page', () => {
  it('asks for the rows, the chart and the previous period, shows them, and a changed filter asks again', async () => {
    const { calls, user } = renderReports(
      '/reports?range=custom&from=2026-11-01&to=2026-11-07&tz=Europe/Berlin&granularity=total&groupBy=offer',
      'admin',
      (q) =>
        q.groupBy === 'offer'
          ? q.from === '2026-11-01'
            ? [
                row({
                  offerId: 1,
                  clicks: 200,
                  cleanClicks: 190,
                  invalidClicks: 10,
                  botClicks: 6,
                  duplicateClicks: 4,
                  conversions: 19,
                  approvedConversions: 15,
                  pendingConversions: 4,
                  rejectedConversions: 2,
                  revenueMinor: 5000,
                  payoutMinor: 3000,
                  profitMinor: 2000,
                }),
                row({
                  offerId: 2,
                  currency: 'EUR',
                  clicks: 50,
                  cleanClicks: 50,
                  conversions: 1,
                  approvedConversions: 1,
                  revenueMinor: 900,
                  payoutMinor: 600,
                  profitMinor: 300,
                }),
              ]
            : [
                row({
                  offerId: 1,
                  clicks: 100,
                  cleanClicks: 100,
                  conversions: 10,
                  revenueMinor: 2500,
                  payoutMinor: 1500,
                  profitMinor: 1000,
                }),
              ]
          : [
              row({
                period: `${q.from}`,
                clicks: 10,
                cleanClicks: 10,
                revenueMinor: 10,
                payoutMinor: 5,
                profitMinor: 5,
              }),
            ],
    );
    const table = await screen.findByRole('table', { name: /Report rows 1 to 2 of 2/ }, { timeout: 5000 });
    // The rows, the chart over each day of the range, the previous period's chart and rows.
    expect(calls).toEqual(
      expect.arrayContaining([
        {
          from: '2026-11-01',
          to: '2026-11-07',
          timezone: 'Europe/Berlin',
          granularity: 'total',
          groupBy: 'offer',
          format: 'json',
        },
        {
          from: '2026-11-01',
          to: '2026-11-07',
          timezone: 'Europe/Berlin',
          granularity: 'day',
          format: 'json',
        },
        {
          from: '2026-10-25',
          to: '2026-10-31',
          timezone: 'Europe/Berlin',
          granularity: 'day',
          format: 'json',
        },
        {
          from: '2026-10-25',
          to: '2026-10-31',
          timezone: 'Europe/Berlin',
          granularity: 'total',
          groupBy: 'offer',
          format: 'json',
        },
      ]),
    );
    const rows = within(table).getAllByRole('row');
    // Sorted by clicks, most first; offer names, not ids; money in each row's own currency.
    expect(rows[1]).toHaveTextContent('Acme first order');
    expect(rows[1]).toHaveTextContent('$50.00');
    expect(rows[1]).toHaveTextContent('+100.0%');
    expect(rows[2]).toHaveTextContent('Globex hotels');
    expect(rows[2]).toHaveTextContent('€9.00');
    // The totals never add dollars to euros.
    const foot = rows[rows.length - 1]!;
    expect(foot).toHaveTextContent('Total (2 rows)');
    expect(foot).toHaveTextContent('$50.00');
    expect(foot).toHaveTextContent('€9.00');
    // The invalid clicks say their reasons (on hover, and to screen readers), the row's and the total's.
    expect(within(table).getAllByRole('button', { name: /10 invalid: Bots 6 · Duplicates 4/ })).toHaveLength(
      2,
    );

    calls.length = 0;
    await user.selectOptions(screen.getByLabelText('Affiliate'), '7');
    // At once, before the report has loaded again, a second change builds on the first.
    await user.click(screen.getByRole('button', { name: 'Country' }));
    await screen.findByRole('columnheader', { name: /Country/ }, { timeout: 5000 });
    expect(calls).toContainEqual({
      from: '2026-11-01',
      to: '2026-11-07',
      timezone: 'Europe/Berlin',
      granularity: 'total',
      groupBy: 'offer,country',
      affiliateId: '7',
      format: 'json',
    });
    expect(screen.getByLabelText('Affiliate')).toHaveValue('7');
    expect(screen.getByRole('button', { name: /Country$/ })).toHaveAttribute('aria-pressed', 'true');
  });

  it('says when nothing matches, with the filters the role has', async () => {
    renderReports('/reports?range=yesterday&tz=UTC', 'affiliate', () => []);
    expect(
      await screen.findByText('No clicks or conversions', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    // An affiliate has no affiliate or advertiser filter.
    expect(screen.getByLabelText('Offer')).toBeInTheDocument();
    expect(screen.queryByLabelText('Affiliate')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Advertiser')).not.toBeInTheDocument();
  });

  it('shows what the API refused beside the builder, so the report can be narrowed', async () => {
    renderReports('/reports?range=last_month&tz=UTC&groupBy=sub1,sub2', 'advertiser', () => null);
    expect(await screen.findByRole('alert', undefined, { timeout: 5000 })).toHaveTextContent(
      'More than 200000 rows: narrow the dates.',
    );
    expect(screen.getByLabelText('Date range')).toHaveValue('last_month');
    expect(screen.queryByRole('link', { name: /Export CSV/ })).not.toBeInTheDocument();
  });
});
