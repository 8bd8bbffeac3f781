import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { Conversion } from '~/components/conversions/conversion-cells';
import Conversions from './_app.conversions._index';

function HydrateFallback() {
  return null;
}

function conversion(id: string, txid: string, extra: Partial<Conversion> = {}): Conversion {
  return {
    id,
    clickId: `click-${txid}`,
    clickedAt: '2026-11-29T10:00:00.000Z',
    occurredAt: '2026-11-29T10:05:00.000Z',
    offerId: 1,
    affiliateId: 3,
    campaignId: null,
    event: 'conversion',
    amountMinor: 4990,
    currency: 'USD',
    sentAmountMinor: null,
    sentCurrency: null,
    exchangeRate: null,
    txid,
    status: 'pending',
    payoutMinor: 1500,
    revenueMinor: 2500,
    payoutCurrency: 'USD',
    source: 'postback',
    fraudFlags: [],
    reason: null,
    sub1: 'spring',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    country: 'US',
    device: 'mobile',
    receivedAt: '2026-11-29T10:05:01.000Z',
    ...extra,
  };
}

const ROWS = [
  conversion('00000000-0000-4000-8000-000000000001', 'ORDER-1'),
  conversion('00000000-0000-4000-8000-000000000002', 'ORDER-2', { fraudFlags: ['bot_click'] }),
  conversion('00000000-0000-4000-8000-000000000003', 'ORDER-3', { status: 'approved' }),
];

function renderList(role: 'admin' | 'advertiser' | 'affiliate', changes = vi.fn()) {
  const Stub = createRoutesStub([
    {
      path: '/conversions',
      Component: Conversions as never,
      HydrateFallback,
      loader: () => ({
        role,
        rows: ROWS,
        nextCursor: null,
        offers: [{ id: 1, name: 'Acme Shop', currency: 'USD' }],
        affiliates: role === 'admin' ? [{ id: 3, name: 'Demo Media' }] : [],
      }),
    },
    { path: '/conversions/changes', action: changes },
  ]);
  render(<Stub initialEntries={['/conversions']} />);
  return userEvent.setup();
}

describe('conversions list', () => {
  it('shows what each role may see: payout to affiliates, revenue to advertisers', async () => {
    renderList('affiliate');
    const table = await screen.findByRole('table', { name: 'Conversions' });
    expect(within(table).getByRole('columnheader', { name: /Payout/ })).toBeInTheDocument();
    expect(within(table).queryByRole('columnheader', { name: /Revenue/ })).not.toBeInTheDocument();
    expect(within(table).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Review by txid/ })).not.toBeInTheDocument();
    expect(within(table).getByText('Held for review')).toBeInTheDocument();
    expect(within(table).getAllByText('Bot click').length).toBeGreaterThan(0);
  });

  it('reviews picked conversions with a dry run first, and applies only on confirmation', async () => {
    const sent: Record<string, FormDataEntryValue | FormDataEntryValue[]>[] = [];
    const changes = vi.fn(async ({ request }: { request: Request }) => {
      const form = await request.formData();
      sent.push({ ...Object.fromEntries(form), conversionIds: form.getAll('conversionIds') });
      const intent = form.get('intent');
      return {
        reply: { status: 'success', initialValue: {} },
        outcome: { intent, action: 'approve', matched: 2, changed: intent === 'preview' ? 2 : 2 },
      };
    });
    const user = renderList('advertiser', changes);
    const table = await screen.findByRole('table', { name: 'Conversions' });
    expect(within(table).queryByRole('columnheader', { name: /Payout/ })).not.toBeInTheDocument();

    await user.click(within(table).getByRole('checkbox', { name: 'Select conversion ORDER-1' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Select conversion ORDER-2' }));
    const bar = screen.getByRole('region', { name: 'Review selected conversions' });
    expect(bar).toHaveTextContent('2 selected');
    await user.click(within(bar).getByRole('button', { name: 'Approve' }));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('heading')).toHaveTextContent('Approve: 2 conversions');
    // Nothing is applied before the dry run answered.
    expect(within(dialog).queryByRole('button', { name: /Approve 2 conversions/ })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Check what changes' }));
    expect(await within(dialog).findByText('2 conversions will change.')).toBeInTheDocument();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      intent: 'preview',
      action: 'approve',
      mode: 'ids',
      conversionIds: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
    });

    await user.click(within(dialog).getByRole('button', { name: 'Approve 2 conversions' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ intent: 'apply', action: 'approve' });
    // The selection is cleared once applied.
    expect(screen.queryByRole('region', { name: 'Review selected conversions' })).not.toBeInTheDocument();
  });

  it('asks for a reason and an amount before adjusting, and a new dry run after any change', async () => {
    const changes = vi.fn(async () => ({
      reply: { status: 'success', initialValue: {} },
      outcome: { intent: 'preview', action: 'adjust', matched: 1, changed: 1 },
    }));
    const user = renderList('admin', changes);
    const table = await screen.findByRole('table', { name: 'Conversions' });
    await user.click(within(table).getByRole('checkbox', { name: 'Select conversion ORDER-3' }));
    await user.click(screen.getByRole('button', { name: 'Adjust amounts' }));
    const dialog = await screen.findByRole('dialog');

    await user.click(within(dialog).getByRole('button', { name: 'Check what changes' }));
    expect(await within(dialog).findByText('Enter a new payout or revenue')).toBeInTheDocument();
    expect(within(dialog).getByText('Say why (kept in the change log)')).toBeInTheDocument();
    expect(changes).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/New payout/), '12.345');
    await user.type(within(dialog).getByLabelText(/Reason/), 'Partial refund');
    await user.click(within(dialog).getByRole('button', { name: 'Check what changes' }));
    expect(await within(dialog).findByText('Too many decimals for this currency')).toBeInTheDocument();
    expect(changes).not.toHaveBeenCalled();

    await user.clear(within(dialog).getByLabelText(/New payout/));
    await user.type(within(dialog).getByLabelText(/New payout/), '12.50');
    await user.click(within(dialog).getByRole('button', { name: 'Check what changes' }));
    expect(await within(dialog).findByText('1 conversion will change.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Adjust amounts 1 conversion' })).toBeInTheDocument();

    // Editing after the dry run withdraws its confirmation.
    await user.type(within(dialog).getByLabelText(/New payout/), '0');
    expect(within(dialog).queryByText('1 conversion will change.')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Check what changes' })).toBeInTheDocument();
  });
});
