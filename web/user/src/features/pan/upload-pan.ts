import { ApiError, apiUrl, parseApiError, type PanResult } from '@support/shared';

export interface UploadOptions {
  file: Blob;
  fileName?: string;
  token: string;
  apiBase?: string;
  /** 0..1 as the bytes go out */
  onProgress?: (fraction: number) => void;
  /** all bytes sent; the server is reading the card */
  onUploaded?: () => void;
  signal?: AbortSignal;
  createRequest?: () => XMLHttpRequest;
}

/**
 * `POST /api/pan/extract` as multipart field `image`, with the customer's token.
 * XMLHttpRequest rather than fetch because fetch cannot report upload progress.
 */
export function uploadPan(options: UploadOptions): Promise<PanResult> {
  return new Promise<PanResult>((resolve, reject) => {
    const xhr = options.createRequest ? options.createRequest() : new XMLHttpRequest();
    xhr.open('POST', apiUrl('/api/pan/extract', options.apiBase));
    xhr.setRequestHeader('Authorization', `Bearer ${options.token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.upload.onload = () => {
      options.onProgress?.(1);
      options.onUploaded?.();
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as PanResult);
        } catch {
          reject(new ApiError('bad_response', 'The server sent an answer we could not read.', xhr.status));
        }
        return;
      }
      reject(parseApiError(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
    };
    xhr.onerror = () => reject(new ApiError('network_error', 'The network failed during the upload.', 0));
    xhr.onabort = () => reject(new ApiError('aborted', 'The upload was cancelled.', 0));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('image', options.file, options.fileName ?? 'pan-card');
    xhr.send(form);
  });
}

/** A sentence the customer understands for each API error code. */
export function uploadErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong while reading your card. Please try again.';
  switch (error.code) {
    case 'not_an_image':
    case 'unsupported_format':
      return 'That file is not a picture we can read. Please choose a photo of your PAN card (JPEG or PNG).';
    case 'image_too_large':
      return 'That picture is too large. Please choose a smaller photo (under 10 MB).';
    case 'decompression_bomb':
      return 'That picture has far too many pixels. Please take an ordinary photo of the card.';
    case 'missing_image':
    case 'empty_file':
      return 'The file is empty. Please choose a photo of your PAN card.';
    case 'truncated_image':
      return 'That picture seems damaged or incomplete. Please take or choose it again.';
    case 'no_card_found':
      return 'We could not find a PAN card in that picture. Lay the card flat, fill the frame, avoid glare, and try again.';
    case 'busy':
      return error.retryAfterS
        ? `Our card reader is busy right now. Please try again in ${error.retryAfterS} seconds.`
        : 'Our card reader is busy right now. Please try again in a moment.';
    case 'ocr_unavailable':
    case 'model_error':
      return 'Our card reader is not available right now. Please try again in a few minutes, or show your card to the agent during the call.';
    case 'rate_limited':
      return 'Too many uploads in a short time. Please wait a minute and try again.';
    case 'unauthorized':
      return 'Your session has expired. Please reload the page and start again.';
    case 'network_error':
      return 'The upload failed because of a network problem. Check your connection and try again.';
    case 'aborted':
      return 'The upload was cancelled.';
    default:
      return error.message || 'Something went wrong while reading your card. Please try again.';
  }
}
