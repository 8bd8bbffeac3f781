import { parseWithZod } from '@conform-to/zod/v4';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, Outlet } from 'react-router';
import { describe, expect, it } from 'vitest';
import ProfileSettings, { deleteAccountSchema } from './_app.settings._index';

function HydrateFallback() {
  return null;
}

function SignedInLayout() {
  return <Outlet />;
}

const viewer = {
  id: 'u1',
  email: 'aff@example.test',
  role: 'affiliate',
  firstName: 'Ada',
  lastName: null,
  companyName: 'Ada Media',
};

describe('deleting one’s own account', () => {
  it('asks for the password and a tick, and says what stays', async () => {
    const sent: FormData[] = [];
    const Stub = createRoutesStub([
      {
        id: 'routes/_app',
        path: '/',
        Component: SignedInLayout,
        HydrateFallback,
        loader: () => ({ viewer }),
        children: [
          {
            path: 'settings',
            Component: ProfileSettings as never,
            action: async ({ request }) => {
              const form = await request.formData();
              sent.push(form);
              // As the action answers the API's invalid_credentials.
              const submission = parseWithZod(form, { schema: deleteAccountSchema });
              return {
                intent: 'delete-account',
                result: submission.reply({
                  hideFields: ['password'],
                  fieldErrors: { password: ['The password is wrong.'] },
                }),
              };
            },
          },
        ],
      },
    ]);
    render(<Stub initialEntries={['/settings']} />);
    const user = userEvent.setup();
    expect(
      await screen.findByText(/Ada Media's offers, conversions, invoices and payouts stay/),
    ).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Delete my account' });
    await user.click(button);
    // Nothing is sent without the password and the tick.
    expect(await screen.findByText('Enter your password')).toBeInTheDocument();
    expect(screen.getByText('Tick the box to confirm')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await user.type(screen.getByLabelText('Your password'), 'guess');
    await user.click(screen.getByLabelText(/my account is deleted for good/));
    await user.click(button);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(await screen.findByText('The password is wrong.')).toBeInTheDocument();
    expect(sent.map((f) => [f.get('intent'), f.get('password'), f.get('confirm')])).toEqual([
      ['delete-account', 'guess', 'on'],
    ]);
  });
});
