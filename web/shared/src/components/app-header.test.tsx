import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppHeader } from './app-header';

describe('AppHeader', () => {
  it('shows the brand as a banner, and the actions only when there are some', () => {
    const { rerender } = render(<AppHeader logo="ID" brand="Identity check" />);
    expect(screen.getByRole('banner')).toHaveTextContent('Identity check');
    expect(screen.getByRole('banner').querySelector('.app-header__actions')).toBeNull();
    rerender(
      <AppHeader logo="SD" brand="Employee desk" dark>
        <button type="button">Log out</button>
      </AppHeader>,
    );
    expect(screen.getByRole('banner')).toHaveClass('app-header--dark');
    expect(screen.getByRole('button', { name: 'Log out' })).toBeInTheDocument();
  });
});
