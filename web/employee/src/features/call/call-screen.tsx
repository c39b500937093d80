import { CallPanel, type CallConnection, type PeerState, type UseMediaResult } from '@support/shared';
import type { ReactNode } from 'react';

export interface CallScreenProps {
  customerName: string;
  connection: CallConnection;
  peerState: PeerState;
  remoteStream: MediaStream | null;
  media: UseMediaResult;
  peerAway: boolean;
  onEndCall: () => void;
  /** the PAN panel */
  children?: ReactNode;
}

/** The call with a customer: their video large, own small, controls, the PAN panel beside. */
export function CallScreen({
  customerName,
  connection,
  peerState,
  remoteStream,
  media,
  peerAway,
  onEndCall,
  children,
}: CallScreenProps) {
  return (
    <div
      className="desk-call"
      data-testid="call-screen"
      data-connection-state={connection}
      data-peer-state={peerState}
    >
      <section className="card desk-call__main" aria-labelledby="call-title">
        <CallPanel
          titleId="call-title"
          title={`Call with ${customerName}`}
          peerName={customerName}
          connection={connection}
          remoteStream={remoteStream}
          noRemoteVideo="The customer sends no video"
          media={media}
          peerAway={peerAway}
          onLeave={onEndCall}
          leaveLabel="End call"
        />
        <p className="muted small center-text">
          Ending the call puts {customerName} back at the front of the queue.
        </p>
      </section>
      <div className="desk-call__side">{children}</div>
    </div>
  );
}
