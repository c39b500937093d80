import type { QueueEntry } from '@support/shared';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueList } from './queue-list';

const NOW = Date.parse('2026-11-24T09:15:00.000Z');
const CUSTOMERS: QueueEntry[] = [
  {
    customer_id: 'c_1',
    name: 'Asha Rao',
    waiting_since: '2026-11-24T09:13:55.000Z',
    pan_status: 'confirmed',
  },
  { customer_id: 'c_2', name: 'Vikram Singh', waiting_since: '2026-11-24T09:14:50.000Z', pan_status: 'none' },
];

describe('QueueList', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('lists name, a waiting time that ticks every second, and PAN status', () => {
    render(
      <QueueList
        customers={CUSTOMERS}
        onConnect={() => undefined}
        picking={null}
        disabled={false}
        highlight={false}
      />,
    );
    const [first, second] = screen.getAllByTestId('queue-item');
    expect(first).toHaveTextContent('Asha Rao');
    expect(within(first!).getByTestId('waiting-time')).toHaveTextContent('1 min 05 s');
    expect(first).toHaveTextContent('Details confirmed');
    expect(within(second!).getByTestId('waiting-time')).toHaveTextContent('10 s');
    expect(second).toHaveTextContent('No card yet');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(within(second!).getByTestId('waiting-time')).toHaveTextContent('13 s');
  });

  it('has a Connect button per customer', () => {
    const onConnect = vi.fn();
    render(
      <QueueList
        customers={CUSTOMERS}
        onConnect={onConnect}
        picking={null}
        disabled={false}
        highlight={false}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Connect to Vikram Singh' }));
    expect(onConnect).toHaveBeenCalledWith(CUSTOMERS[1]);
  });

  it('says so when nobody is waiting', () => {
    render(
      <QueueList
        customers={[]}
        onConnect={() => undefined}
        picking={null}
        disabled={false}
        highlight={false}
      />,
    );
    expect(screen.getByText('Nobody is waiting.')).toBeInTheDocument();
  });
});
