import { ApiError, type PanResult } from '@support/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { uploadErrorText, uploadPan, type UploadOptions } from './upload-pan';

export type PanUploadStatus = 'idle' | 'uploading' | 'reading' | 'done' | 'error';

export interface PanUpload {
  status: PanUploadStatus;
  previewUrl: string | null;
  fileName: string | null;
  /** 0..1 */
  progress: number;
  result: PanResult | null;
  error: string | null;
  /** the failure may go away by itself (busy, network): offer "Try again" with the same file */
  canRetry: boolean;
  /** when the reader was busy: the time (ms) of the automatic retry */
  retryAt: number | null;
  select: (file: File) => void;
  retry: () => void;
}

/** Automatic retries after `busy` (then the person decides). */
const MAX_AUTO_RETRIES = 2;
const MAX_AUTO_RETRY_WAIT_S = 30;

const RETRYABLE = new Set(['busy', 'rate_limited', 'network_error', 'aborted', 'ocr_unavailable']);

/** Upload state of the PAN card step, kept above the screens so it survives waiting -> call. */
export function usePanUpload(
  token: string | null,
  options: { apiBase?: string; upload?: (o: UploadOptions) => Promise<PanResult> } = {},
): PanUpload {
  const [status, setStatus] = useState<PanUploadStatus>('idle');
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [progress, setProgress] = useState(0);
  const [result, setResult] = useState<PanResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [canRetry, setCanRetry] = useState(false);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const retryTimer = useRef<number | null>(null);
  const autoRetries = useRef(0);
  const fileRef = useRef<File | null>(null);
  const previewRef = useRef<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const upload = options.upload ?? uploadPan;
  const apiBase = options.apiBase;

  const clearRetry = () => {
    if (retryTimer.current !== null) window.clearTimeout(retryTimer.current);
    retryTimer.current = null;
    setRetryAt(null);
  };

  const run = useCallback(
    (file: File) => {
      clearRetry();
      const currentToken = tokenRef.current;
      if (!currentToken) {
        setStatus('error');
        setError('Please wait until you are in the queue, then upload your card.');
        setCanRetry(true);
        return;
      }
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      setStatus('uploading');
      setProgress(0);
      setError(null);
      setCanRetry(false);
      upload({
        file,
        fileName: file.name || 'pan-card.jpg',
        token: currentToken,
        ...(apiBase !== undefined ? { apiBase } : {}),
        signal: controller.signal,
        onProgress: setProgress,
        onUploaded: () => setStatus('reading'),
      })
        .then((value) => {
          if (controller.signal.aborted) return;
          setResult(value);
          setStatus('done');
        })
        .catch((failure: unknown) => {
          if (controller.signal.aborted) return;
          setStatus('error');
          setError(uploadErrorText(failure));
          setCanRetry(failure instanceof ApiError ? RETRYABLE.has(failure.code) : true);
          if (
            failure instanceof ApiError &&
            failure.code === 'busy' &&
            autoRetries.current < MAX_AUTO_RETRIES
          ) {
            autoRetries.current += 1;
            const waitS = Math.min(MAX_AUTO_RETRY_WAIT_S, Math.max(1, failure.retryAfterS ?? 5));
            setRetryAt(Date.now() + waitS * 1000);
            retryTimer.current = window.setTimeout(() => runRef.current(file), waitS * 1000);
          }
        });
    },
    [upload, apiBase],
  );
  const runRef = useRef(run);
  runRef.current = run;

  const select = useCallback(
    (file: File) => {
      fileRef.current = file;
      autoRetries.current = 0;
      setFileName(file.name || null);
      if (previewRef.current) URL.revokeObjectURL(previewRef.current);
      previewRef.current = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
      setPreviewUrl(previewRef.current);
      run(file);
    },
    [run],
  );

  const retry = useCallback(() => {
    autoRetries.current = 0;
    if (fileRef.current) run(fileRef.current);
  }, [run]);

  useEffect(
    () => () => {
      abortRef.current?.abort();
      if (retryTimer.current !== null) window.clearTimeout(retryTimer.current);
    },
    [],
  );

  return { status, previewUrl, fileName, progress, result, error, canRetry, retryAt, select, retry };
}
