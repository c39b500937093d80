import { ApiError } from '@support/shared';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LoginScreen } from './login-screen';

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Username'), 'priya');
  await user.type(screen.getByLabelText('Password'), 'secret');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('LoginScreen', () => {
  it('logs in with the typed username and password', async () => {
    const onLogin = vi.fn(async () => undefined);
    render(<LoginScreen onLogin={onLogin} reason={null} />);
    await fill(userEvent.setup());
    expect(onLogin).toHaveBeenCalledWith('priya', 'secret');
  });

  it('says the credentials are wrong on 401', async () => {
    const onLogin = vi.fn(async () => {
      throw new ApiError('invalid_credentials', 'bad', 401);
    });
    render(<LoginScreen onLogin={onLogin} reason={null} />);
    await fill(userEvent.setup());
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  });

  it('says to wait when throttled (429) with the Retry-After seconds', async () => {
    const onLogin = vi.fn(async () => {
      throw new ApiError('too_many_attempts', 'slow down', 429, 30);
    });
    render(<LoginScreen onLogin={onLogin} reason={null} />);
    await fill(userEvent.setup());
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many failed attempts. Please wait 30 seconds and try again.',
    );
  });
});
