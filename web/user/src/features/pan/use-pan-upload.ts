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
  select: (file: File) => void;
  retry: () => void;
}

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
  const fileRef = useRef<File | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const upload = options.upload ?? uploadPan;
  const apiBase = options.apiBase;

  const run = useCallback(
    (file: File) => {
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
        });
    },
    [upload, apiBase],
  );

  const select = useCallback(
    (file: File) => {
      fileRef.current = file;
      setFileName(file.name || null);
      setPreviewUrl((old) => {
        if (old) URL.revokeObjectURL(old);
        return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
      });
      run(file);
    },
    [run],
  );

  const retry = useCallback(() => {
    if (fileRef.current) run(fileRef.current);
  }, [run]);

  useEffect(
    () => () => {
      abortRef.current?.abort();
    },
    [],
  );

  return { status, previewUrl, fileName, progress, result, error, canRetry, select, retry };
}
