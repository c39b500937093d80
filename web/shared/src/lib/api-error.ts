/** Shape of every HTTP API error body (docs/protocol.md, "HTTP API"). */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** An HTTP API call that failed: the server's `error.code`, or `network_error` / `bad_response`. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryAfterS: number | null;

  constructor(code: string, message: string, status: number, retryAfterS: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterS = retryAfterS;
  }
}

/** Read `{"error": {"code", "message"}}` from a response text, tolerating anything else. */
export function parseApiError(status: number, body: string, retryAfter: string | null): ApiError {
  let code = `http_${status}`;
  let message = `The server answered ${status}.`;
  try {
    const parsed = JSON.parse(body) as Partial<ApiErrorBody>;
    if (parsed.error && typeof parsed.error.code === 'string') {
      code = parsed.error.code;
      if (typeof parsed.error.message === 'string') message = parsed.error.message;
    }
  } catch {
    // not JSON: keep the generic code
  }
  const seconds = retryAfter === null ? Number.NaN : Number.parseInt(retryAfter, 10);
  return new ApiError(code, message, status, Number.isFinite(seconds) ? seconds : null);
}

/** `VITE_API_URL` (remote builds) or same origin. */
export function apiUrl(path: string, base: string | undefined): string {
  const prefix = (base ?? '').trim().replace(/\/+$/, '');
  return `${prefix}${path}`;
}
