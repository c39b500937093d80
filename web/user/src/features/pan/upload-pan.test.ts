import { ApiError } from '@support/shared';
import { describe, expect, it } from 'vitest';
import { uploadErrorText, uploadPan } from './upload-pan';

class FakeXhr {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: (() => void) | null } = {
    onprogress: null,
    onload: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.upload.onload?.();
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.();
  }
}

const create = () => new FakeXhr() as unknown as XMLHttpRequest;

describe('uploadPan', () => {
  it('posts the image as multipart field "image" with the bearer token and reports progress', async () => {
    const progress: number[] = [];
    const promise = uploadPan({
      file: new Blob(['x'], { type: 'image/png' }),
      fileName: 'card.png',
      token: 'tok',
      createRequest: create,
      onProgress: (f) => progress.push(f),
    });
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/pan/extract');
    expect(xhr.headers.Authorization).toBe('Bearer tok');
    expect((xhr.body as FormData).get('image')).toBeInstanceOf(Blob);
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 } as ProgressEvent);
    xhr.respond(200, {
      pan: 'ABCPE1234F',
      name: 'A',
      father_name: null,
      dob: null,
      confidence: {},
      warnings: [],
    });
    await expect(promise).resolves.toMatchObject({ pan: 'ABCPE1234F' });
    expect(progress).toEqual([0.5, 1]);
  });

  it('turns an API error into an ApiError with its code and Retry-After', async () => {
    const promise = uploadPan({ file: new Blob(['x']), token: 't', createRequest: create });
    FakeXhr.last!.respond(
      503,
      { error: { code: 'busy', message: 'OCR queue full' } },
      { 'Retry-After': '5' },
    );
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'busy', status: 503, retryAfterS: 5 });
    expect(uploadErrorText(error)).toBe('Our card reader is busy right now. Please try again in 5 seconds.');
  });

  it('explains each error code in plain words', () => {
    const text = (code: string) => uploadErrorText(new ApiError(code, 'm', 400));
    expect(text('not_an_image')).toMatch(/not a picture we can read/);
    expect(text('image_too_large')).toMatch(/too large/);
    expect(text('no_card_found')).toMatch(/could not find a PAN card/);
    expect(text('network_error')).toMatch(/network problem/);
    expect(text('ocr_unavailable')).toMatch(/not available right now/);
  });
});
