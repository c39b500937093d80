import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionNotice } from './connection-notice';

describe('ConnectionNotice', () => {
  it('says calmly that the connection is coming back and what the person keeps', () => {
    render(<ConnectionNotice status="reconnecting" keeps="You keep your place." onRetry={vi.fn()} />);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Reconnecting…The connection dropped. You keep your place.',
    );
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says what to do once the app gave up, and tries again on the button', async () => {
    const onRetry = vi.fn();
    render(<ConnectionNotice status="unreachable" keeps="You keep your place." onRetry={onRetry} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach the support desk');
    expect(screen.getByRole('alert')).toHaveTextContent('Check that you are online');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('shows nothing while the socket is open, connecting for the first time, or closed', () => {
    for (const status of ['open', 'connecting', 'closed'] as const) {
      const { container, unmount } = render(
        <ConnectionNotice status={status} keeps="You keep your place." onRetry={vi.fn()} />,
      );
      expect(container).toBeEmptyDOMElement();
      unmount();
    }
  });
});
