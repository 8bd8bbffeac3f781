import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { fakeApi, formRequest } from '~/components/ad-platforms/fake-api.test-helpers';
import Sessions, { action } from './_app.settings.sessions';

function HydrateFallback() {
  return null;
}

const SESSION = {
  id: '6f1c2a8e-0000-4000-8000-000000000001',
  current: true,
  ip: '203.0.113.5',
  userAgent: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  lastUsedAt: '2026-11-29T11:00:00.000Z',
  expiresAt: '2026-12-29T10:00:00.000Z',
};

describe('/settings/sessions: sign out everywhere', () => {
  it('asks first, saying API keys are revoked too', async () => {
    const Stub = createRoutesStub([
      {
        path: '/settings/sessions',
        Component: Sessions as never,
        HydrateFallback,
        loader: () => ({ sessions: [SESSION], now: '2026-11-29T12:00:00.000Z' }),
      },
    ]);
    render(<Stub initialEntries={['/settings/sessions']} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Sign out everywhere/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/every API key of yours is revoked/)).toBeInTheDocument();
  });

  it('ends everything on the control plane, then this session here, and goes to the login', async () => {
    const { calls, context } = fakeApi('affiliate', {
      'POST /api/v1/auth/logout-everywhere': { data: { revokedSessions: 2, revokedApiKeys: 1 } },
    });
    const response = (await action({
      request: formRequest('http://localhost/settings/sessions', { intent: 'everywhere' }),
      params: {},
      context,
    } as never)) as Response;
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/auth/logout-everywhere']);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
    expect(response.headers.get('set-cookie')).toMatch(/__tas_session=;/);
  });
});
