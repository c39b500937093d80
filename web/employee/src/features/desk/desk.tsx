import { ConnectionNotice, Notice, useMedia } from '@support/shared';
import { useEffect, useState } from 'react';
import { CallScreen } from '../call/call-screen';
import { PanPanel } from '../pan/pan-panel';
import { QueueList } from '../queue/queue-list';
import { useQueueCue } from '../queue/use-queue-cue';
import { useEmployeeDesk } from './use-employee-desk';

export interface DeskProps {
  socketUrl: string;
  onUnauthorized: () => void;
}

const BASE_TITLE = 'Employee desk';

/** Logged-in view: the live queue, or the call with the PAN panel. */
export function Desk({ socketUrl, onUnauthorized }: DeskProps) {
  const media = useMedia();
  const [sound, setSound] = useState(true);
  const desk = useEmployeeDesk({
    socketUrl,
    enabled: true,
    localStream: media.stream,
    localReady: media.status !== 'idle' && media.status !== 'requesting',
    onUnauthorized,
  });
  const { state } = desk;
  const count = state.queue.customers?.length ?? null;
  const highlight = useQueueCue(count, { sound, baseTitle: BASE_TITLE });

  const { request } = media;
  useEffect(() => {
    void request();
  }, [request]);

  const offline = desk.signaling !== 'open';

  return (
    <div className="desk">
      {desk.replaced && (
        <Notice tone="warning" title="Opened elsewhere">
          The desk was opened in another tab or window, so this one is disconnected.{' '}
          <button type="button" className="button button--small" onClick={desk.reconnect}>
            Use this tab
          </button>
        </Notice>
      )}
      <ConnectionNotice
        status={desk.signaling}
        keeps={
          state.room
            ? 'The call picks up again by itself when it is back.'
            : 'The queue updates again by itself once it is back.'
        }
        onRetry={desk.retry}
      />
      {state.notice && (
        <Notice tone={state.notice.tone} onDismiss={desk.dismissNotice}>
          {state.notice.text}
        </Notice>
      )}
      {media.problem && !state.room && (
        <Notice tone="warning" title="Your camera">
          {media.status === 'denied'
            ? 'Camera and microphone access was blocked: customers will not see or hear you. Allow access in the site settings and reload.'
            : 'No camera or microphone could be used: customers will not see or hear you.'}
        </Notice>
      )}

      {state.room ? (
        <CallScreen
          customerName={state.room.customerName}
          connection={desk.connection}
          peerState={desk.peerState}
          remoteStream={desk.remoteStream}
          media={media}
          peerAway={state.peerAway}
          onEndCall={desk.endCall}
        >
          <PanPanel
            customerName={state.room.customerName}
            result={state.panResult}
            imageUrl={state.imageUrl}
            originalUrl={state.originalUrl}
            confirmed={state.panConfirmed}
          />
        </CallScreen>
      ) : (
        <section
          className={`card queue-card${highlight ? ' queue-card--new' : ''}`}
          aria-labelledby="queue-title"
        >
          <div className="queue-card__header">
            <h1 id="queue-title">
              Queue{' '}
              <span className="count-badge" data-testid="queue-count" aria-live="polite">
                {count === null ? '…' : `${count} waiting`}
              </span>
            </h1>
            <label className="toggle">
              <input type="checkbox" checked={sound} onChange={(event) => setSound(event.target.checked)} />
              Sound alert for new customers
            </label>
          </div>
          {highlight && (
            <p className="new-customer-cue" role="status">
              <span aria-hidden="true">●</span> A customer is waiting
            </p>
          )}
          <QueueList
            customers={state.queue.customers}
            onConnect={desk.pick}
            picking={state.picking}
            disabled={offline || desk.replaced}
            highlight={highlight}
          />
        </section>
      )}
    </div>
  );
}
