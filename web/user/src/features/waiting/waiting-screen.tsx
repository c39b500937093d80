import { formatEstimate, Notice, VideoTile, type UseMediaResult } from '@support/shared';
import type { ReactNode } from 'react';
import type { QueueInfo, SessionNotice } from '../session/use-customer-session';

export interface WaitingScreenProps {
  queue: QueueInfo | null;
  media: UseMediaResult;
  notice: SessionNotice | null;
  reconnecting: boolean;
  onDismissNotice: () => void;
  onLeave: () => void;
  /** the PAN card step */
  children?: ReactNode;
}

function positionText(queue: QueueInfo | null): string {
  if (!queue) return 'Joining the queue…';
  if (queue.position === 1) return 'You are next.';
  return `You are number ${queue.position} in the queue.`;
}

/** Place in the queue (live), a camera preview, and the PAN card step while waiting. */
export function WaitingScreen({
  queue,
  media,
  notice,
  reconnecting,
  onDismissNotice,
  onLeave,
  children,
}: WaitingScreenProps) {
  return (
    <div className="waiting-layout" data-testid="waiting-screen">
      <div className="waiting-layout__main">
        {notice && (
          <Notice tone={notice.tone} onDismiss={onDismissNotice}>
            {notice.text}
          </Notice>
        )}
        {reconnecting && (
          <Notice tone="warning" title="Connection lost">
            Reconnecting… you keep your place in the queue.
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
                  {queue && queue.estimatedWaitS !== null ? formatEstimate(queue.estimatedWaitS) : 'estimating…'}
                </dd>
              </div>
            </dl>
          </div>
          <button type="button" className="button button--secondary" onClick={onLeave}>
            Leave
          </button>
        </section>
        {children}
      </div>
      <aside className="waiting-layout__side" aria-label="Camera preview">
        <section className="card">
          <h2>Your camera</h2>
          {media.problem ? (
            <Notice tone="warning" title={media.status === 'denied' ? 'Camera blocked' : 'No camera'}>
              {media.problem}
            </Notice>
          ) : (
            <>
              <VideoTile
                stream={media.stream}
                label="Your camera"
                self
                size="preview"
                placeholder={media.status === 'requesting' ? 'Waiting for permission…' : 'No camera'}
                testId="preview-video"
              />
              <p className="muted small">This is how the agent will see you.</p>
            </>
          )}
        </section>
      </aside>
    </div>
  );
}
