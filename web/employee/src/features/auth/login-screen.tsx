import { Notice } from '@support/shared';
import { useId, useState, type FormEvent } from 'react';
import { loginErrorText } from './auth-api';

export interface LoginScreenProps {
  onLogin: (username: string, password: string) => Promise<void>;
  /** Why we are here (logged out, session expired). */
  reason: string | null;
}

/** Username and password; says plainly what went wrong. */
export function LoginScreen({ onLogin, reason }: LoginScreenProps) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('Please enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onLogin(username.trim(), password);
    } catch (failure) {
      setError(loginErrorText(failure));
      setBusy(false);
    }
  };

  return (
    <section className="card login-card" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Employee login</h1>
      {reason && !error && <Notice tone="info">{reason}</Notice>}
      {error && (
        <Notice tone="error" title="Could not log in">
          {error}
        </Notice>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input
            id={`${id}-username`}
            className="input"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            className="input"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button--block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </section>
  );
}
