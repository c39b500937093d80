import type { SignalingStatus } from '../lib/signaling-client';
import { Notice } from './notice';

export interface ConnectionNoticeProps {
  status: SignalingStatus;
  /** What the person keeps while the socket comes back, e.g. "You keep your place in the queue." */
  keeps: string;
  /** Try again after the client gave up. */
  onRetry: () => void;
}

export const RECONNECTING_TITLE = 'Reconnecting…';
export const UNREACHABLE_TITLE = 'Cannot reach the support desk';

/**
 * The signaling socket's trouble in plain words: a calm "Reconnecting…" while it comes back by
 * itself, and, once the client gave up, what to do with a **Try again** button. Nothing otherwise.
 */
export function ConnectionNotice({ status, keeps, onRetry }: ConnectionNoticeProps) {
  if (status === 'reconnecting') {
    return (
      <div data-testid="connection-notice" data-status={status}>
        <Notice tone="info" title={RECONNECTING_TITLE}>
          The connection dropped. {keeps}
        </Notice>
      </div>
    );
  }
  if (status === 'unreachable') {
    return (
      <div data-testid="connection-notice" data-status={status}>
        <Notice tone="error" title={UNREACHABLE_TITLE}>
          <p className="notice__text">
            We could not connect. Check that you are online (Wi-Fi or mobile data), then try again.
          </p>
          <button type="button" className="button button--small" onClick={onRetry}>
            Try again
          </button>
        </Notice>
      </div>
    );
  }
  return null;
}
