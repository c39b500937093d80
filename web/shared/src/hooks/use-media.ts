import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * - `idle`: not asked yet
 * - `requesting`: the browser is asking the person
 * - `ready`: we have a stream (maybe only audio or only video: see `hasVideo` / `hasAudio`)
 * - `denied`: the person (or a policy) said no
 * - `unavailable`: no camera/microphone, in use elsewhere, or an insecure page
 */
export type MediaStatus = 'idle' | 'requesting' | 'ready' | 'denied' | 'unavailable';

export interface UseMediaResult {
  status: MediaStatus;
  stream: MediaStream | null;
  /** A sentence for the person when status is `denied` or `unavailable`. */
  problem: string | null;
  hasVideo: boolean;
  hasAudio: boolean;
  audioEnabled: boolean;
  videoEnabled: boolean;
  /** Ask for camera and microphone; resolves with the stream or null. */
  request: () => Promise<MediaStream | null>;
  toggleAudio: () => void;
  toggleVideo: () => void;
  /** Stop every track (leaving). */
  release: () => void;
}

export const DENIED_MESSAGE =
  'Camera and microphone access was blocked. You can still wait in the queue and upload your PAN card; ' +
  'to be seen and heard, allow access in your browser’s site settings and reload the page.';

export const UNAVAILABLE_MESSAGE =
  'No camera or microphone could be used (none found, or another app is using it). ' +
  'You can still wait in the queue and upload your PAN card.';

const INSECURE_MESSAGE =
  'This browser does not allow camera access on this page (it needs a secure https address). ' +
  'You can still wait in the queue and upload your PAN card.';

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) return String(error.name);
  return '';
}

function isDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError';
}

/**
 * Camera and microphone for a call: asks once, falls back to audio or video alone when only one
 * exists, and says clearly why there is no stream. Stops the tracks on unmount.
 */
export function useMedia(): UseMediaResult {
  const [status, setStatus] = useState<MediaStatus>('idle');
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [audioEnabled, setAudioEnabled] = useState(true);
  const [videoEnabled, setVideoEnabled] = useState(true);
  const streamRef = useRef<MediaStream | null>(null);
  const inflight = useRef<Promise<MediaStream | null> | null>(null);
  const audioRef = useRef(true);
  const videoRef = useRef(true);

  const request = useCallback((): Promise<MediaStream | null> => {
    if (streamRef.current) return Promise.resolve(streamRef.current);
    if (inflight.current) return inflight.current;
    const devices = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!devices || typeof devices.getUserMedia !== 'function') {
      setStatus('unavailable');
      setProblem(INSECURE_MESSAGE);
      return Promise.resolve(null);
    }
    setStatus('requesting');
    setProblem(null);
    const attempt = async (): Promise<MediaStream | null> => {
      const tries: MediaStreamConstraints[] = [
        { audio: true, video: { facingMode: 'user' } },
        { audio: true, video: false },
        { audio: false, video: { facingMode: 'user' } },
      ];
      let lastError: unknown = null;
      for (const constraints of tries) {
        try {
          const got = await devices.getUserMedia(constraints);
          streamRef.current = got;
          setStream(got);
          setStatus('ready');
          return got;
        } catch (error) {
          lastError = error;
          if (isDenied(error)) break;
        }
      }
      if (isDenied(lastError)) {
        setStatus('denied');
        setProblem(DENIED_MESSAGE);
      } else {
        setStatus('unavailable');
        setProblem(UNAVAILABLE_MESSAGE);
      }
      return null;
    };
    const promise = attempt().finally(() => {
      inflight.current = null;
    });
    inflight.current = promise;
    return promise;
  }, []);

  const toggleAudio = useCallback(() => {
    const current = streamRef.current;
    if (!current) return;
    const next = !audioRef.current;
    audioRef.current = next;
    for (const track of current.getAudioTracks()) track.enabled = next;
    setAudioEnabled(next);
  }, []);

  const toggleVideo = useCallback(() => {
    const current = streamRef.current;
    if (!current) return;
    const next = !videoRef.current;
    videoRef.current = next;
    for (const track of current.getVideoTracks()) track.enabled = next;
    setVideoEnabled(next);
  }, []);

  const release = useCallback(() => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    setStream(null);
    setStatus('idle');
    audioRef.current = true;
    videoRef.current = true;
    setAudioEnabled(true);
    setVideoEnabled(true);
  }, []);

  useEffect(
    () => () => {
      streamRef.current?.getTracks().forEach((track) => track.stop());
    },
    [],
  );

  return {
    status,
    stream,
    problem,
    hasVideo: (stream?.getVideoTracks().length ?? 0) > 0,
    hasAudio: (stream?.getAudioTracks().length ?? 0) > 0,
    audioEnabled,
    videoEnabled,
    request,
    toggleAudio,
    toggleVideo,
    release,
  };
}
