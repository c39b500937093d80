export type CallConnection = 'connecting' | 'reconnecting' | 'connected';

export interface ConnectionBadgeProps {
  state: CallConnection;
}

const TEXT: Record<CallConnection, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  connected: 'Connected',
};

/** The call's connection state in words (and a dot), announced when it changes. */
export function ConnectionBadge({ state }: ConnectionBadgeProps) {
  return (
    <p className={`connection-badge connection-badge--${state}`} role="status" aria-live="polite">
      <span className="connection-badge__dot" aria-hidden="true" />
      {TEXT[state]}
    </p>
  );
}
