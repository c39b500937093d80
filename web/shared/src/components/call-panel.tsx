import type { UseMediaResult } from '../hooks/use-media';
import { CallControls } from './call-controls';
import { ConnectionBadge, type CallConnection } from './connection-badge';
import { Notice } from './notice';
import { VideoTile } from './video-tile';

export interface CallPanelProps {
  /** id of the heading, for the surrounding section's `aria-labelledby` */
  titleId: string;
  /** e.g. "Call with Asha Rao" */
  title: string;
  /** the other person as named in sentences, e.g. "Asha Rao" or "the agent" */
  peerName: string;
  connection: CallConnection;
  remoteStream: MediaStream | null;
  /** what the remote tile says once connected when no video arrives */
  noRemoteVideo: string;
  media: UseMediaResult;
  /** the server said the other side dropped and may come back */
  peerAway: boolean;
  onLeave: () => void;
  /** "Leave" for the customer, "End call" for the employee */
  leaveLabel: string;
}

/**
 * The body of a call, the same in both apps: the title with the connection state, a notice
 * while the other side is away, their video large and your own small, and the call controls.
 */
export function CallPanel({
  titleId,
  title,
  peerName,
  connection,
  remoteStream,
  noRemoteVideo,
  media,
  peerAway,
  onLeave,
  leaveLabel,
}: CallPanelProps) {
  return (
    <>
      <div className="call-header">
        <h1 id={titleId}>{title}</h1>
        <ConnectionBadge state={connection} />
      </div>
      {peerAway && (
        <Notice tone="warning">{peerName} lost the connection. Waiting for them to come back…</Notice>
      )}
      <div className="call-stage">
        <VideoTile
          stream={remoteStream}
          label={`${peerName}'s video`}
          size="large"
          placeholder={connection === 'connected' ? noRemoteVideo : 'Connecting the video…'}
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
        leaveLabel={leaveLabel}
      />
    </>
  );
}
