import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { WaitingScreen } from './waiting-screen';

describe('WaitingScreen', () => {
  it('shows position, people waiting and "estimating…" before there is data', () => {
    render(
      <WaitingScreen
        queue={{ position: 3, waiting: 4, estimatedWaitS: null }}
        notice={null}
        onDismissNotice={() => undefined}
        onLeave={() => undefined}
      />,
    );
    expect(screen.getByTestId('queue-position')).toHaveTextContent('3');
    expect(screen.getByTestId('queue-waiting')).toHaveTextContent('4');
    expect(screen.getByTestId('queue-estimate')).toHaveTextContent('estimating…');
    expect(screen.getByText('You are number 3 in the queue.')).toBeInTheDocument();
  });

  it('shows the estimate, the agent-left notice and a Leave button', async () => {
    const onLeave = vi.fn();
    render(
      <WaitingScreen
        queue={{ position: 1, waiting: 1, estimatedWaitS: 150 }}
        notice={{ tone: 'info', text: 'The agent left the call. You are back in the queue, at the front.' }}
        onDismissNotice={() => undefined}
        onLeave={onLeave}
      />,
    );
    expect(screen.getByTestId('queue-estimate')).toHaveTextContent('about 3 min');
    expect(screen.getByText(/back in the queue, at the front/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Leave' }));
    expect(onLeave).toHaveBeenCalled();
  });
});
