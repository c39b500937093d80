import { useCallback, useEffect, useState } from 'react';
import { login as apiLogin, logout as apiLogout, me, type Employee } from './auth-api';

/** Shown on the login form when the server ended our login (socket closed with 4401). */
export const SESSION_ENDED_TEXT =
  'Your session has ended: you were logged out (perhaps in another window) or your login expired. Please log in again.';

export type AuthState =
  | { status: 'checking' }
  | { status: 'signed_out'; reason: string | null }
  | { status: 'signed_in'; employee: Employee };

export interface UseAuth {
  auth: AuthState;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The server no longer accepts our login (socket closed with 4401). */
  expire: (reason: string) => void;
}

/** Who is logged in: checks the cookie session on load, then login / logout. */
export function useAuth(apiBase?: string): UseAuth {
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });

  useEffect(() => {
    let live = true;
    me(apiBase)
      .then((employee) => {
        if (!live) return;
        setAuth(employee ? { status: 'signed_in', employee } : { status: 'signed_out', reason: null });
      })
      .catch(() => {
        if (live) setAuth({ status: 'signed_out', reason: null });
      });
    return () => {
      live = false;
    };
  }, [apiBase]);

  const login = useCallback(
    async (username: string, password: string) => {
      const employee = await apiLogin(username, password, apiBase);
      setAuth({ status: 'signed_in', employee });
    },
    [apiBase],
  );

  const logout = useCallback(async () => {
    try {
      await apiLogout(apiBase);
    } finally {
      setAuth({ status: 'signed_out', reason: 'You have logged out.' });
    }
  }, [apiBase]);

  // Only a login still in force can expire: the 4401 that follows our own logout keeps its words.
  const expire = useCallback(
    (reason: string) =>
      setAuth((current) => (current.status === 'signed_in' ? { status: 'signed_out', reason } : current)),
    [],
  );

  return { auth, login, logout, expire };
}
