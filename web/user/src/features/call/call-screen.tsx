import { CallPanel, Notice, type CallConnection, type PeerState, type UseMediaResult } from '@support/shared';

export interface CallScreenProps {
  employeeName: string | null;
  connection: CallConnection;
  peerState: PeerState;
  remoteStream: MediaStream | null;
  media: UseMediaResult;
  peerAway: boolean;
  onLeave: () => void;
}

/** The video call: the agent large, yourself small, controls and the connection state. */
export function CallScreen({
  employeeName,
  connection,
  peerState,
  remoteStream,
  media,
  peerAway,
  onLeave,
}: CallScreenProps) {
  const agent = employeeName ?? 'the agent';
  return (
    <section
      className="card call-card"
      aria-labelledby="call-title"
      data-testid="call-screen"
      data-connection-state={connection}
      data-peer-state={peerState}
    >
      <CallPanel
        titleId="call-title"
        title={`Video call with ${agent}`}
        peerName={agent}
        connection={connection}
        remoteStream={remoteStream}
        noRemoteVideo="No video from the agent"
        media={media}
        peerAway={peerAway}
        onLeave={onLeave}
        leaveLabel="Leave"
      />
      {media.problem && <Notice tone="warning">{media.problem}</Notice>}
    </section>
  );
}
