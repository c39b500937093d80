import { formatEstimate, Notice } from '@support/shared';
import type { QueueInfo, SessionNotice } from '../session/use-customer-session';

export interface WaitingScreenProps {
  queue: QueueInfo | null;
  notice: SessionNotice | null;
  onDismissNotice: () => void;
  onLeave: () => void;
}

function positionText(queue: QueueInfo | null): string {
  if (!queue) return 'Joining the queue…';
  if (queue.position === 1) return 'You are next.';
  return `You are number ${queue.position} in the queue.`;
}

/** Place in the queue, people waiting and the estimate (all live), and a Leave button. */
export function WaitingScreen({ queue, notice, onDismissNotice, onLeave }: WaitingScreenProps) {
  return (
    <div className="waiting-main stack-tight" data-testid="waiting-screen">
      {notice && (
        <Notice tone={notice.tone} onDismiss={onDismissNotice}>
          {notice.text}
        </Notice>
      )}
      <section className="card queue-card" aria-labelledby="queue-title">
        <h1 id="queue-title">Please wait, an agent will be with you soon</h1>
        <div className="queue-stats" role="status" aria-live="polite" aria-atomic="true">
          <p className="queue-stats__headline">{positionText(queue)}</p>
          <dl className="queue-stats__grid">
            <div>
              <dt>Your position</dt>
              <dd data-testid="queue-position">{queue ? queue.position : '–'}</dd>
            </div>
            <div>
              <dt>People waiting</dt>
              <dd data-testid="queue-waiting">{queue ? queue.waiting : '–'}</dd>
            </div>
            <div>
              <dt>Estimated wait</dt>
              <dd data-testid="queue-estimate">
                {queue && queue.estimatedWaitS !== null
                  ? formatEstimate(queue.estimatedWaitS)
                  : 'estimating…'}
              </dd>
            </div>
          </dl>
        </div>
        <button type="button" className="button button--secondary" onClick={onLeave}>
          Leave
        </button>
      </section>
    </div>
  );
}
