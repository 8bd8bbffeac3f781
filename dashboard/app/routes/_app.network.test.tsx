import { parseWithZod } from '@conform-to/zod/v4';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { networkSettingsSchema } from '~/components/admin/network-schema';
import NetworkSettings, { type NetworkActionData } from './_app.network';

function HydrateFallback() {
  return null;
}

const SETTINGS = {
  blockedIps: ['198.51.100.7'],
  blockedUserAgents: ['HeadlessChrome'],
  exchangeRates: [{ from: 'EUR', to: 'USD', rate: '1.08' }],
  privacy: { ipMode: 'full', userAgentMode: 'parsed', consentRequired: true, forwardEuVisitors: false },
  revision: 4,
};

function renderPage(action: (form: FormData) => NetworkActionData | Promise<NetworkActionData>) {
  const sent: FormData[] = [];
  const Stub = createRoutesStub([
    {
      path: '/network',
      Component: NetworkSettings as never,
      HydrateFallback,
      loader: () => ({ settings: SETTINGS }),
      action: async ({ request }) => {
        const form = await request.formData();
        sent.push(form);
        return action(form);
      },
    },
  ]);
  render(<Stub initialEntries={['/network']} />);
  return { user: userEvent.setup(), sent };
}

describe('network settings form', () => {
  it('checks every IP line and exchange rate like the API before publishing, line by line', async () => {
    const { user, sent } = renderPage(() => ({
      result: { status: 'success' },
      published: { revision: 5, at: '2026-11-29T12:00:00.000Z' },
    }));
    const ips = await screen.findByLabelText('Blocked IPs and ranges');
    expect(ips).toHaveValue('198.51.100.7');
    expect(screen.getByLabelText('Blocked user agents')).toHaveValue('HeadlessChrome');
    // The existing rate, with what a sale of 100 becomes.
    expect(screen.getByLabelText('Rate 1: from currency')).toHaveValue('EUR');
    expect(screen.getByText('€100.00 → $108.00')).toBeInTheDocument();

    await user.type(ips, '\n\n10.0.0.0/33\n2001:db8::/32\nnot-an-ip');
    await user.click(screen.getByRole('button', { name: /Add a rate/ }));
    await user.type(await screen.findByLabelText('Rate 2: from currency'), 'usd');
    await user.type(screen.getByLabelText('Rate 2: to currency'), 'USD');
    await user.type(
      screen.getByLabelText('Rate 2: units of the to currency for one of the from currency'),
      '0.000',
    );
    await user.click(screen.getByRole('button', { name: 'Publish to the edge' }));

    // Blank lines do not count; the bad ones are named with their line number.
    expect(
      await screen.findByText('Line 2: “10.0.0.0/33” is not an IPv4/IPv6 address or CIDR range.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Line 4: “not-an-ip” is not an IPv4/IPv6 address or CIDR range.'),
    ).toBeInTheDocument();
    expect(screen.getByText('To: From and to must differ')).toBeInTheDocument();
    expect(screen.getByText('Rate: Must be greater than 0')).toBeInTheDocument();
    expect(ips).toHaveAttribute('aria-invalid', 'true');
    expect(sent).toHaveLength(0);

    await user.clear(ips);
    await user.type(ips, '198.51.100.7\n203.0.113.0/24\n2001:db8::/32');
    const to = screen.getByLabelText('Rate 2: to currency');
    await user.clear(to);
    await user.type(to, 'gbp');
    const rate = screen.getByLabelText('Rate 2: units of the to currency for one of the from currency');
    await user.clear(rate);
    await user.type(rate, '0.7912');
    expect(screen.getByText('$100.00 → £79.12')).toBeInTheDocument();
    // Privacy: the settings in force are shown, and changed like any field.
    expect(screen.getByLabelText('User agents')).toHaveValue('parsed');
    expect(screen.getByRole('checkbox', { name: /Click cookie only with consent/ })).toBeChecked();
    await user.selectOptions(screen.getByLabelText('IP addresses'), 'hashed');
    await user.click(screen.getByRole('checkbox', { name: /Forward EU\/EEA\/UK/ }));
    await user.click(screen.getByRole('button', { name: 'Publish to the edge' }));

    expect(await screen.findByText('Published to the edge.')).toBeInTheDocument();
    expect(sent).toHaveLength(1);
    // What the server sends the API: entries as arrays, currencies in capitals.
    const parsed = parseWithZod(sent[0] as FormData, { schema: networkSettingsSchema });
    expect(parsed.status).toBe('success');
    expect(parsed.status === 'success' ? parsed.value : null).toEqual({
      blockedIps: ['198.51.100.7', '203.0.113.0/24', '2001:db8::/32'],
      blockedUserAgents: ['HeadlessChrome'],
      exchangeRates: [
        { from: 'EUR', to: 'USD', rate: '1.08' },
        { from: 'USD', to: 'GBP', rate: '0.7912' },
      ],
      privacy: { ipMode: 'hashed', userAgentMode: 'parsed', consentRequired: true, forwardEuVisitors: true },
    });
  });

  it('refuses two rates for one pair, and says plainly when the edge did not take the change', async () => {
    const { user, sent } = renderPage(() => ({
      result: {
        status: 'error',
        error: { '': ['The edge did not take the change, so nothing was saved.'] },
      },
      edgeDown: true,
    }));
    await user.click(await screen.findByRole('button', { name: /Add a rate/ }));
    await user.type(await screen.findByLabelText('Rate 2: from currency'), 'EUR');
    await user.type(screen.getByLabelText('Rate 2: to currency'), 'USD');
    await user.type(
      screen.getByLabelText('Rate 2: units of the to currency for one of the from currency'),
      '1.1',
    );
    await user.click(screen.getByRole('button', { name: 'Publish to the edge' }));
    expect(await screen.findByText('EUR → USD is there twice: one rate a pair.')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Remove rate 2' }));
    await user.click(screen.getByRole('button', { name: 'Publish to the edge' }));
    expect(await screen.findByText('The edge is unavailable.')).toBeInTheDocument();
    expect(screen.getByText('The edge did not take the change, so nothing was saved.')).toBeInTheDocument();
    expect(sent).toHaveLength(1);
  });
});
