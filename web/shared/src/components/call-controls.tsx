export interface CallControlsProps {
  audioEnabled: boolean;
  videoEnabled: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  onToggleAudio: () => void;
  onToggleVideo: () => void;
  onLeave: () => void;
  /** "Leave" for the customer, "End call" for the employee. */
  leaveLabel: string;
}

/** Mute, camera and leave buttons of a call. */
export function CallControls({
  audioEnabled,
  videoEnabled,
  hasAudio,
  hasVideo,
  onToggleAudio,
  onToggleVideo,
  onLeave,
  leaveLabel,
}: CallControlsProps) {
  return (
    <div className="call-controls" role="group" aria-label="Call controls">
      <button
        type="button"
        className="button button--secondary"
        aria-pressed={!audioEnabled}
        disabled={!hasAudio}
        onClick={onToggleAudio}
      >
        {audioEnabled ? 'Mute' : 'Unmute'}
      </button>
      <button
        type="button"
        className="button button--secondary"
        aria-pressed={!videoEnabled}
        disabled={!hasVideo}
        onClick={onToggleVideo}
      >
        {videoEnabled ? 'Camera off' : 'Camera on'}
      </button>
      <button type="button" className="button button--danger" onClick={onLeave}>
        {leaveLabel}
      </button>
    </div>
  );
}
