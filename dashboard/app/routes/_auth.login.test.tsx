import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import Login from './_auth.login';

describe('login page', () => {
  it('labels every input, checks the fields before sending, and shows what the server said beside the form', async () => {
    const Stub = createRoutesStub([
      {
        path: '/login',
        Component: Login as never,
        action: async () => ({
          status: 'error',
          initialValue: { email: 'a@b.test' },
          error: { '': ['Wrong email or password.'] },
        }),
      },
    ]);
    render(<Stub initialEntries={['/login']} />);
    const user = userEvent.setup();
    expect(screen.getByLabelText('Email')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();

    // Nothing is sent while the fields are not valid: the errors show beside them.
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Enter your email address')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Email'), 'a@b.test');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
  });
});
