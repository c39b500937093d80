import { AppHeader, ConnectionNotice, Notice, useMedia, type PanFields } from '@support/shared';
import { useCallback, useEffect } from 'react';
import { CallScreen } from '../features/call/call-screen';
import { LeftScreen } from '../features/left/left-screen';
import { PanStep } from '../features/pan/pan-step';
import { usePanUpload } from '../features/pan/use-pan-upload';
import { useCustomerSession } from '../features/session/use-customer-session';
import { StartScreen } from '../features/start/start-screen';
import { CameraPreview } from '../features/waiting/camera-preview';
import { WaitingScreen } from '../features/waiting/waiting-screen';
import { API_BASE, CUSTOMER_SOCKET_URL } from '../lib/config';

/** The customer app: name -> queue (with PAN card step) -> call -> back to the queue or done. */
export function App() {
  const media = useMedia();
  const session = useCustomerSession({
    socketUrl: CUSTOMER_SOCKET_URL,
    localStream: media.stream,
    localReady: media.status !== 'idle' && media.status !== 'requesting',
  });
  const { state } = session;
  const pan = usePanUpload(state.token, { apiBase: API_BASE });

  // a reload with a saved session resumes it: ask for the camera again as well
  const { request } = media;
  useEffect(() => {
    if (state.phase === 'joining' && media.status === 'idle') void request();
  }, []);

  const start = useCallback(
    async (name: string) => {
      await request();
      session.start(name);
    },
    [request, session],
  );

  const leave = useCallback(() => {
    session.leave();
    media.release();
  }, [session, media]);

  const confirm = useCallback((fields: PanFields) => session.confirmPan(fields), [session]);

  useEffect(() => {
    const titles: Record<string, string> = {
      start: 'Identity check · Support desk',
      joining: 'Joining… · Identity check',
      waiting: state.queue
        ? `Waiting (#${state.queue.position}) · Identity check`
        : 'Waiting · Identity check',
      call: 'In a call · Identity check',
      left: 'Session ended · Identity check',
    };
    document.title = titles[state.phase] ?? 'Identity check';
  }, [state.phase, state.queue]);

  const panStep = (
    <PanStep upload={pan} confirmed={state.confirmed} confirmError={state.confirmError} onConfirm={confirm} />
  );

  let content;
  switch (state.phase) {
    case 'start':
    case 'joining':
      content = (
        <div className="app-main--narrow center">
          {state.notice && (
            <Notice tone={state.notice.tone} onDismiss={session.dismissNotice}>
              {state.notice.text}
            </Notice>
          )}
          <ConnectionNotice
            status={session.signaling}
            keeps="Your session is kept for a short while."
            onRetry={session.retry}
          />
          <StartScreen
            onStart={(name) => void start(name)}
            busy={state.phase === 'joining' || media.status === 'requesting'}
            error={state.startError}
            connecting={
              state.phase === 'joining' &&
              (session.signaling === 'connecting' || session.signaling === 'reconnecting')
            }
          />
        </div>
      );
      break;
    case 'waiting':
    case 'call': {
      const inCall = state.phase === 'call';
      // One tree for both phases, the PAN step always second: React keeps its state (a
      // half-edited form) when an agent picks the customer or hands them back.
      content = (
        <div className={`session-layout session-layout--${inCall ? 'call' : 'waiting'}`}>
          <div className="session-layout__primary">
            <ConnectionNotice
              status={session.signaling}
              keeps={
                inCall
                  ? 'The call picks up again by itself when it is back.'
                  : 'You keep your place in the queue while it comes back.'
              }
              onRetry={session.retry}
            />
            {inCall ? (
              <CallScreen
                employeeName={state.employeeName}
                connection={session.connection}
                peerState={session.peerState}
                remoteStream={session.remoteStream}
                media={media}
                peerAway={state.peerAway}
                onLeave={leave}
              />
            ) : (
              <WaitingScreen
                queue={state.queue}
                notice={state.notice}
                onDismissNotice={session.dismissNotice}
                onLeave={leave}
              />
            )}
          </div>
          <div className="session-layout__pan">{panStep}</div>
          {!inCall && (
            <aside className="session-layout__side" aria-label="Camera preview">
              <CameraPreview media={media} />
            </aside>
          )}
        </div>
      );
      break;
    }
    default:
      content = (
        <div className="app-main--narrow center">
          <LeftScreen onStartAgain={session.startOver} ended={state.ended} />
        </div>
      );
  }

  const headerName = state.phase === 'start' || state.phase === 'left' ? null : state.name;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader logo="ID" brand="Identity check">
        {headerName && (
          <span className="app-header__who">
            <span className="visually-hidden">Your session: </span>
            {headerName}
          </span>
        )}
      </AppHeader>
      <main id="main" className="app-main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
