import { useEffect, useRef, useState } from 'react';

export interface VideoTileProps {
  stream: MediaStream | null;
  /** Accessible name, e.g. "Agent's video" or "Your camera". */
  label: string;
  /** Own preview: muted (no echo) and mirrored. */
  self?: boolean;
  size?: 'large' | 'small' | 'preview';
  /** Shown when there is no picture. */
  placeholder?: string;
  /** The sender turned the camera off. */
  videoOff?: boolean;
  testId?: string;
}

/** A `<video>` bound to a MediaStream, with a readable placeholder when there is no picture. */
export function VideoTile({
  stream,
  label,
  self = false,
  size = 'large',
  placeholder = 'No video',
  videoOff = false,
  testId,
}: VideoTileProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (!stream) return;
    const play = video.play?.();
    if (play && typeof play.catch === 'function') {
      play.catch((error: unknown) => {
        // autoplay with sound refused: play muted and offer a button to turn sound on
        if (!self && error instanceof DOMException && error.name === 'NotAllowedError') {
          video.muted = true;
          setSoundBlocked(true);
          void video.play().catch(() => undefined);
        }
      });
    }
  }, [stream, self]);

  const showPicture = stream !== null && !videoOff;

  return (
    <figure className={`video-tile video-tile--${size}${self ? ' video-tile--self' : ''}`}>
      <video
        ref={ref}
        data-testid={testId}
        aria-label={label}
        autoPlay
        playsInline
        muted={self}
        hidden={!showPicture}
      />
      {!showPicture && (
        <div className="video-tile__placeholder" aria-hidden="true">
          <span>{videoOff ? 'Camera off' : placeholder}</span>
        </div>
      )}
      <figcaption className="video-tile__label">{label}</figcaption>
      {soundBlocked && (
        <button
          type="button"
          className="button button--small video-tile__sound"
          onClick={() => {
            const video = ref.current;
            if (video) {
              video.muted = false;
              void video.play().catch(() => undefined);
            }
            setSoundBlocked(false);
          }}
        >
          Turn on sound
        </button>
      )}
    </figure>
  );
}
