const KEY = 'support.customer.session';

/** What survives a reload or a dropped connection: the resume token and the name. */
export interface SavedSession {
  token: string;
  name: string;
}

export function loadSession(storage: Storage = sessionStorage): SavedSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<SavedSession>;
    if (typeof value.token === 'string' && typeof value.name === 'string') {
      return { token: value.token, name: value.name };
    }
  } catch {
    // unreadable: start afresh
  }
  return null;
}

export function saveSession(session: SavedSession, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage full or blocked: resume after a reload will not work, the session still does
  }
}

export function clearSession(storage: Storage = sessionStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    // ignore
  }
}
