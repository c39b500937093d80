import { ApiError, apiUrl, parseApiError } from '@support/shared';

export interface Employee {
  id: string;
  /** The login name (customers never see it). */
  name: string;
  /** What customers see in a call; `null` until set with `support-server employee rename`. */
  display_name: string | null;
}

async function call(path: string, init: RequestInit, base: string | undefined): Promise<Response> {
  try {
    return await fetch(apiUrl(path, base), {
      credentials: base ? 'include' : 'same-origin',
      headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
      ...init,
    });
  } catch {
    throw new ApiError('network_error', 'The server could not be reached.', 0);
  }
}

async function fail(response: Response): Promise<never> {
  throw parseApiError(response.status, await response.text(), response.headers.get('Retry-After'));
}

/** `POST /api/auth/login`: sets the HttpOnly session cookie the socket then uses. */
export async function login(username: string, password: string, base?: string): Promise<Employee> {
  const response = await call(
    '/api/auth/login',
    { method: 'POST', body: JSON.stringify({ username, password }) },
    base,
  );
  if (!response.ok) return fail(response);
  const body = (await response.json()) as { employee: Employee };
  return body.employee;
}

/** `POST /api/auth/logout`. */
export async function logout(base?: string): Promise<void> {
  const response = await call('/api/auth/logout', { method: 'POST' }, base);
  if (!response.ok && response.status !== 401) await fail(response);
}

/** `GET /api/auth/me`: the logged-in employee, or null. */
export async function me(base?: string): Promise<Employee | null> {
  const response = await call('/api/auth/me', { method: 'GET' }, base);
  if (response.status === 401) return null;
  if (!response.ok) return fail(response);
  const body = (await response.json()) as { employee: Employee };
  return body.employee;
}

/** Sentence for the login form. */
export function loginErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Login failed. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong username or password.';
    case 'too_many_attempts':
      return error.retryAfterS
        ? `Too many failed attempts. Please wait ${error.retryAfterS} seconds and try again.`
        : 'Too many failed attempts. Please wait a while and try again.';
    case 'network_error':
      return 'The server could not be reached. Check your connection and try again.';
    default:
      if (error.status === 401) return 'Wrong username or password.';
      if (error.status === 429) return 'Too many failed attempts. Please wait a while and try again.';
      return error.message || 'Login failed. Please try again.';
  }
}
