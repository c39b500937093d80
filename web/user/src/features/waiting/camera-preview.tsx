import { Notice, VideoTile, type UseMediaResult } from '@support/shared';

export interface CameraPreviewProps {
  media: UseMediaResult;
}

/** How the agent will see you, or why there is no camera. */
export function CameraPreview({ media }: CameraPreviewProps) {
  return (
    <section className="card" aria-labelledby="camera-preview-title">
      <h2 id="camera-preview-title">Your camera</h2>
      {media.problem ? (
        <Notice tone="warning" title={media.status === 'denied' ? 'Camera blocked' : 'No camera'}>
          {media.problem}
        </Notice>
      ) : (
        <>
          <VideoTile
            stream={media.stream}
            label="Your camera"
            self
            size="preview"
            placeholder={media.status === 'requesting' ? 'Waiting for permission…' : 'No camera'}
            testId="preview-video"
          />
          <p className="muted small preview-note">This is how the agent will see you.</p>
        </>
      )}
    </section>
  );
}
