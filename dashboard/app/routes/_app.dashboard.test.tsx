import { render, screen, within } from '@testing-library/react';
import { createRoutesStub } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dashboardWindow } from '~/components/dashboard/dashboard-period';
import {
  fakeAuth,
  type ReportCall,
  row,
  stubResizeObserver,
} from '~/components/reports/fake-api.test-helpers';
import { TooltipProvider } from '~/components/ui/tooltip';
import Dashboard, { loader } from './_app.dashboard';

function HydrateFallback() {
  return null;
}

beforeAll(stubResizeObserver);
// 15:30 in UTC on the 29th: "today" is the 29th, and yesterday is compared until 15:59.
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-29T15:30:00Z') }));
afterEach(() => vi.useRealTimers());

function renderDashboard(
  url: string,
  role: 'admin' | 'advertiser' | 'affiliate',
  reports: (q: ReportCall) => ReturnType<typeof row>[],
) {
  const { calls, context } = fakeAuth(role, reports);
  const Stub = createRoutesStub([
    {
      path: '/dashboard',
      Component: Dashboard as never,
      HydrateFallback,
      loader: (args) => loader({ ...args, context } as never),
    },
  ]);
  render(
    <TooltipProvider>
      <Stub initialEntries={[url]} />
    </TooltipProvider>,
  );
  return calls;
}

/** The figure and the change of a headline card. */
async function card(label: string) {
  const heading = await screen.findByRole('heading', { name: label, level: 2 }, { timeout: 5000 });
  return heading.closest('div.rounded-xl') as HTMLElement;
}

describe('dashboard periods', () => {
  it('compares 7 days with the 7 before, each figure from the reports API, money per currency', async () => {
    const calls = renderDashboard('/dashboard?period=7d&tz=UTC', 'affiliate', (q) => {
      const current = q.from === '2026-11-23';
      if (q.groupBy) return [];
      return [
        row({
          period: q.from,
          clicks: current ? 150 : 100,
          cleanClicks: current ? 140 : 100,
          invalidClicks: current ? 10 : 0,
          conversions: current ? 14 : 5,
          approvedConversions: current ? 12 : 5,
          pendingConversions: current ? 2 : 0,
          payoutMinor: current ? 3000 : 2000,
        }),
        row({
          period: q.from,
          currency: 'EUR',
          clicks: 10,
          cleanClicks: 10,
          conversions: 1,
          payoutMinor: current ? 500 : 1000,
        }),
      ];
    });
    const clicks = await card('Clicks');
    expect(clicks).toHaveTextContent('160');
    expect(clicks).toHaveTextContent('+45.5%'); // 160 against 110
    expect(clicks).toHaveTextContent('150 clean · 6.3% invalid');
    const earnings = await card('Earnings');
    // Dollars and euros apart, each against its own previous figure.
    expect(earnings).toHaveTextContent('$30.00');
    expect(earnings).toHaveTextContent('+50.0%');
    expect(earnings).toHaveTextContent('€5.00');
    expect(earnings).toHaveTextContent('−50.0%');
    expect(within(await card('Conversions')).getByText('+150.0%')).toBeInTheDocument(); // 15 against 6
    expect(calls).toEqual(
      expect.arrayContaining([
        { from: '2026-11-23', to: '2026-11-29', timezone: 'UTC', granularity: 'day', format: 'json' },
        { from: '2026-11-16', to: '2026-11-22', timezone: 'UTC', granularity: 'day', format: 'json' },
        {
          from: '2026-11-23',
          to: '2026-11-29',
          timezone: 'UTC',
          granularity: 'total',
          groupBy: 'offer',
          format: 'json',
        },
        // Affiliates see their sub ids where others see affiliates.
        {
          from: '2026-11-23',
          to: '2026-11-29',
          timezone: 'UTC',
          granularity: 'total',
          groupBy: 'sub1',
          format: 'json',
        },
      ]),
    );
    expect(screen.getByRole('link', { name: '7 days' })).toHaveAttribute('aria-current', 'page');
  });

  it('compares today with yesterday until the same hour, not with the whole of yesterday', async () => {
    renderDashboard('/dashboard?period=today&tz=UTC', 'admin', (q) => {
      if (q.groupBy) return [];
      if (q.from === '2026-11-29') return [row({ period: '2026-11-29T09:00', clicks: 30, cleanClicks: 30 })];
      return [
        row({ period: '2026-11-28T10:00', clicks: 20, cleanClicks: 20 }),
        // After 15:59 yesterday: not yet comparable with today.
        row({ period: '2026-11-28T20:00', clicks: 500, cleanClicks: 500 }),
      ];
    });
    const clicks = await card('Clicks');
    expect(clicks).toHaveTextContent('30');
    expect(clicks).toHaveTextContent('+50.0%');
    expect(screen.getByText(/compared with yesterday until 15:59/)).toBeInTheDocument();
  });

  it('works out the window in the viewer zone', () => {
    const now = new Date('2026-11-29T23:30:00Z');
    expect(dashboardWindow(new URLSearchParams('period=today'), 'Asia/Tokyo', now)).toMatchObject({
      range: { from: '2026-11-30', to: '2026-11-30' },
      previous: { from: '2026-11-29', to: '2026-11-29' },
      granularity: 'hour',
      untilHour: 8,
    });
    expect(dashboardWindow(new URLSearchParams('period=30d'), 'UTC', now)).toMatchObject({
      range: { from: '2026-10-31', to: '2026-11-29' },
      previous: { from: '2026-10-01', to: '2026-10-30' },
      untilHour: null,
    });
    expect(dashboardWindow(new URLSearchParams('period=bogus'), 'Nowhere/City', now)).toMatchObject({
      period: '7d',
      timezone: 'UTC',
    });
  });

  it('says so when the period had no traffic', async () => {
    renderDashboard('/dashboard?tz=UTC', 'advertiser', () => []);
    expect(
      await screen.findByText('No traffic in this period', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Set up tracking' })).toHaveAttribute('href', '/integration');
  });
});
