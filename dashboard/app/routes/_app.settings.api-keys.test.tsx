import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ROLE_SCOPES } from '~/components/settings/scopes';
import ApiKeys, { type ApiKeyActionData } from './_app.settings.api-keys';

function HydrateFallback() {
  return null;
}

const SECRET = 'tas_s3cr3t-key-shown-once-0123456789abcdefghij';

describe('API keys', () => {
  it('creates a key with its scopes, shows it once with a copy button, and never again', async () => {
    const keys: unknown[] = [];
    const sent: FormData[] = [];
    const Stub = createRoutesStub([
      {
        path: '/settings/api-keys',
        Component: ApiKeys as never,
        HydrateFallback,
        loader: () => ({ keys: [...keys], scopes: ROLE_SCOPES.affiliate, now: '2026-11-29T12:00:00.000Z' }),
        action: async ({ request }): Promise<ApiKeyActionData> => {
          const form = await request.formData();
          sent.push(form);
          const apiKey = {
            id: '6f1c2a8e-0000-4000-8000-000000000001',
            name: String(form.get('name')),
            prefix: 'tas_s3cr',
            scopes: form.getAll('scopes').map(String),
            createdAt: '2026-11-29T12:00:00.000Z',
            lastUsedAt: null,
            lastUsedIp: null,
            expiresAt: null,
            revokedAt: null,
          };
          keys.push(apiKey);
          return {
            intent: 'create',
            result: { status: 'success', initialValue: null },
            created: { key: SECRET, id: apiKey.id, name: apiKey.name },
          };
        },
      },
    ]);
    render(<Stub initialEntries={['/settings/api-keys']} />);
    const user = userEvent.setup();
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /New API key/ }));
    const dialog = await screen.findByRole('dialog');
    // Only the scopes an affiliate's key may have are offered.
    expect(within(dialog).getByLabelText(/Read postbacks and deliveries/)).toBeInTheDocument();
    expect(within(dialog).queryByLabelText(/Create and change offers/)).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(await within(dialog).findByText('Name the key after where it is used')).toBeInTheDocument();
    expect(within(dialog).getByText('Choose at least one scope')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await user.type(within(dialog).getByLabelText('Name'), 'Reporting script');
    await user.click(within(dialog).getByLabelText(/Run reports/));
    await user.click(within(dialog).getByLabelText(/Read conversions/));
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const reveal = await screen.findByRole('dialog', { name: /Your new key “Reporting script”/ });
    expect(within(reveal).getByText(SECRET)).toBeInTheDocument();
    expect(within(reveal).getByText(/shown only this once/)).toBeInTheDocument();
    expect(within(reveal).getByRole('button', { name: 'Copy API key' })).toBeInTheDocument();
    expect(sent[0]?.getAll('scopes')).toEqual(['conversions:read', 'reports:read']);

    await user.click(within(reveal).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    // The list shows the key by its name and prefix only.
    expect(await screen.findByText('Reporting script')).toBeInTheDocument();
    expect(screen.getByText('tas_s3cr…')).toBeInTheDocument();

    // Opening the dialog again starts a new key; the old one is gone for good.
    await user.click(screen.getByRole('button', { name: /New API key/ }));
    const again = await screen.findByRole('dialog');
    expect(within(again).getByRole('heading', { name: 'New API key' })).toBeInTheDocument();
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
  });

  it('shows when and from where each key was last used', async () => {
    const key = (id: string, lastUsedAt: string | null, lastUsedIp: string | null) => ({
      id,
      name: `key ${id.slice(-1)}`,
      prefix: 'tas_abcd',
      scopes: ['reports:read'],
      createdAt: '2026-11-20T12:00:00.000Z',
      lastUsedAt,
      lastUsedIp,
      expiresAt: null,
      revokedAt: null,
    });
    const Stub = createRoutesStub([
      {
        path: '/settings/api-keys',
        Component: ApiKeys as never,
        HydrateFallback,
        loader: () => ({
          keys: [
            key('6f1c2a8e-0000-4000-8000-000000000001', '2026-11-29T11:55:00.000Z', '203.0.113.7'),
            key('6f1c2a8e-0000-4000-8000-000000000002', null, null),
          ],
          scopes: ROLE_SCOPES.affiliate,
          now: '2026-11-29T12:00:00.000Z',
        }),
      },
    ]);
    render(<Stub initialEntries={['/settings/api-keys']} />);
    const used = (await screen.findByText('key 1')).closest('tr') as HTMLElement;
    expect(within(used).getByText('203.0.113.7')).toBeInTheDocument();
    const unused = screen.getByText('key 2').closest('tr') as HTMLElement;
    expect(within(unused).getAllByText('Never')).toHaveLength(2);
    expect(within(unused).queryByText('203.0.113.7')).not.toBeInTheDocument();
  });
});
