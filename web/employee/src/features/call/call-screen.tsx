import {
  CallControls,
  ConnectionBadge,
  Notice,
  VideoTile,
  type CallConnection,
  type PeerState,
  type UseMediaResult,
} from '@support/shared';
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
        <div className="call-header">
          <h1 id="call-title">Call with {customerName}</h1>
          <ConnectionBadge state={connection} />
        </div>
        {peerAway && (
          <Notice tone="warning">{customerName} lost the connection. Waiting for them to come back…</Notice>
        )}
        <div className="call-stage">
          <VideoTile
            stream={remoteStream}
            label={`${customerName}'s video`}
            size="large"
            placeholder={connection === 'connected' ? 'The customer sends no video' : 'Connecting the video…'}
            testId="remote-video"
          />
          <VideoTile
            stream={media.stream}
            label="You"
            self
            size="small"
            videoOff={!media.videoEnabled}
            placeholder="No camera"
            testId="local-video"
          />
        </div>
        <CallControls
          audioEnabled={media.audioEnabled}
          videoEnabled={media.videoEnabled}
          hasAudio={media.hasAudio}
          hasVideo={media.hasVideo}
          onToggleAudio={media.toggleAudio}
          onToggleVideo={media.toggleVideo}
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
