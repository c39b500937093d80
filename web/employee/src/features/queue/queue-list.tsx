import { formatDuration, useNow, type PanStatus, type QueueEntry } from '@support/shared';

export interface QueueListProps {
  customers: QueueEntry[] | null;
  onConnect: (customer: QueueEntry) => void;
  /** customer id of a pick in flight */
  picking: string | null;
  /** the desk cannot pick right now (in a call, offline) */
  disabled: boolean;
  /** the queue just became non-empty */
  highlight: boolean;
}

const PAN_STATUS_TEXT: Record<PanStatus, string> = {
  none: 'No card yet',
  read: 'Card read',
  confirmed: 'Details confirmed',
};

/** Everyone waiting, oldest first, with a live waiting time and a Connect button each. */
export function QueueList({ customers, onConnect, picking, disabled, highlight }: QueueListProps) {
  const now = useNow(1000, (customers?.length ?? 0) > 0);

  if (customers === null) {
    return <p className="muted">Loading the queue…</p>;
  }
  if (customers.length === 0) {
    return (
      <div className="queue-empty">
        <p className="queue-empty__title">Nobody is waiting.</p>
        <p className="muted">New customers appear here as soon as they join.</p>
      </div>
    );
  }
  return (
    <ol className={`queue-list${highlight ? ' queue-list--new' : ''}`} aria-label="Customers waiting">
      {customers.map((customer, index) => {
        const since = Date.parse(customer.waiting_since);
        const waited = Number.isNaN(since) ? 0 : Math.max(0, (now - since) / 1000);
        return (
          <li key={customer.customer_id} className="queue-item" data-testid="queue-item">
            <span className="queue-item__rank" aria-hidden="true">
              {index + 1}
            </span>
            <div className="queue-item__who">
              <span className="queue-item__name">{customer.name}</span>
              <span className="queue-item__meta">
                <span>
                  Waiting <time data-testid="waiting-time">{formatDuration(waited)}</time>
                </span>
                <span className={`pan-status pan-status--${customer.pan_status}`}>
                  {PAN_STATUS_TEXT[customer.pan_status] ?? customer.pan_status}
                </span>
              </span>
            </div>
            <button
              type="button"
              className="button button--small"
              aria-label={`Connect to ${customer.name}`}
              disabled={disabled || picking !== null}
              onClick={() => onConnect(customer)}
            >
              {picking === customer.customer_id ? 'Connecting…' : 'Connect'}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
