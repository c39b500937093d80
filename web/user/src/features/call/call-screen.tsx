import {
  CallControls,
  ConnectionBadge,
  Notice,
  VideoTile,
  type CallConnection,
  type PeerState,
  type UseMediaResult,
} from '@support/shared';

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
      <div className="call-header">
        <h1 id="call-title">Video call with {agent}</h1>
        <ConnectionBadge state={connection} />
      </div>
      {peerAway && (
        <Notice tone="warning">{agent} lost the connection. Waiting for them to come back…</Notice>
      )}
      <div className="call-stage">
        <VideoTile
          stream={remoteStream}
          label={`${agent}'s video`}
          size="large"
          placeholder={connection === 'connected' ? 'No video from the agent' : 'Connecting the video…'}
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
        onLeave={onLeave}
        leaveLabel="Leave"
      />
      {media.problem && <Notice tone="warning">{media.problem}</Notice>}
    </section>
  );
}
