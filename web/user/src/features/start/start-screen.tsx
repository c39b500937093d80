import { useId, useState, type FormEvent } from 'react';

export interface StartScreenProps {
  onStart: (name: string) => void;
  busy: boolean;
  error: string | null;
  /** the socket is trying to reach the server */
  connecting?: boolean;
}

/** Name and a clear word about the camera before anything is asked of the browser. */
export function StartScreen({ onStart, busy, error, connecting = false }: StartScreenProps) {
  const id = useId();
  const [name, setName] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed.length === 0) {
      setLocalError('Please enter your name.');
      return;
    }
    if (trimmed.length > 64) {
      setLocalError('Please use at most 64 characters.');
      return;
    }
    setLocalError(null);
    onStart(trimmed);
  };

  const shownError = localError ?? error;

  return (
    <section className="card start-screen" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Verify your identity by video</h1>
      <p>
        An agent will see you on a short video call and check your PAN card. It usually takes a few minutes.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Your name</label>
          <input
            id={`${id}-name`}
            className="input"
            type="text"
            autoComplete="name"
            value={name}
            maxLength={64}
            aria-invalid={shownError ? true : undefined}
            aria-describedby={shownError ? `${id}-error` : undefined}
            onChange={(event) => setName(event.target.value)}
          />
          {shownError && (
            <span id={`${id}-error`} className="field__error" role="alert">
              {shownError}
            </span>
          )}
        </div>
        <div className="consent" id={`${id}-consent`}>
          <h2 className="consent__title">Camera and microphone</h2>
          <p>
            When you start, your browser will ask to use your camera and microphone so the agent can see and
            hear you. Nothing is recorded. If you say no, you can still wait in the queue and upload your PAN
            card.
          </p>
        </div>
        <button
          type="submit"
          className="button button--block"
          disabled={busy}
          aria-describedby={`${id}-consent`}
        >
          {busy ? 'Starting…' : 'Start session'}
        </button>
        <p className="muted small start-screen__status" role="status" aria-live="polite">
          {connecting ? 'Connecting to the support desk… this can take a moment on a slow network.' : ''}
        </p>
      </form>
    </section>
  );
}
