import { ApiError, type PanResult } from '@support/shared';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UploadOptions } from './upload-pan';
import { usePanUpload } from './use-pan-upload';

const RESULT: PanResult = {
  pan: 'ABCPE1234F',
  name: 'ASHA RAO',
  father_name: null,
  dob: null,
  confidence: {},
  warnings: [],
};

describe('usePanUpload', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes uploading -> reading -> done and keeps the result', async () => {
    let finish: (value: PanResult) => void = () => undefined;
    const upload = vi.fn(
      (options: UploadOptions) =>
        new Promise<PanResult>((resolve) => {
          options.onProgress?.(0.4);
          finish = (value) => {
            options.onUploaded?.();
            resolve(value);
          };
        }),
    );
    const { result } = renderHook(() => usePanUpload('tok', { upload }));
    act(() => result.current.select(new File(['x'], 'card.jpg', { type: 'image/jpeg' })));
    expect(result.current.status).toBe('uploading');
    expect(result.current.progress).toBe(0.4);
    expect(upload.mock.calls[0]?.[0].token).toBe('tok');
    await act(async () => finish(RESULT));
    expect(result.current.status).toBe('done');
    expect(result.current.result).toEqual(RESULT);
  });

  it('retries by itself after Retry-After when the reader is busy', async () => {
    const upload = vi
      .fn<(options: UploadOptions) => Promise<PanResult>>()
      .mockRejectedValueOnce(new ApiError('busy', 'OCR queue full', 503, 3))
      .mockResolvedValueOnce(RESULT);
    const { result } = renderHook(() => usePanUpload('tok', { upload }));
    await act(async () => result.current.select(new File(['x'], 'card.jpg')));
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatch(/busy/);
    expect(result.current.retryAt).not.toBeNull();
    await act(async () => {
      vi.advanceTimersByTime(3000);
    });
    expect(upload).toHaveBeenCalledTimes(2);
    expect(result.current.status).toBe('done');
    expect(result.current.retryAt).toBeNull();
  });

  it('does not retry by itself when the picture is not a card', async () => {
    const upload = vi
      .fn<(options: UploadOptions) => Promise<PanResult>>()
      .mockRejectedValue(new ApiError('no_card_found', 'no card', 422));
    const { result } = renderHook(() => usePanUpload('tok', { upload }));
    await act(async () => result.current.select(new File(['x'], 'cat.jpg')));
    await act(async () => {
      vi.advanceTimersByTime(60_000);
    });
    expect(upload).toHaveBeenCalledTimes(1);
    expect(result.current.canRetry).toBe(false);
    expect(result.current.error).toMatch(/could not find a PAN card/);
  });
});
