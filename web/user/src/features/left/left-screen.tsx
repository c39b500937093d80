import type { SessionEnd } from '../session/use-customer-session';

export interface LeftScreenProps {
  onStartAgain: () => void;
  /** why the server ended the session; `null` after the customer's own Leave */
  ended?: SessionEnd | null;
}

/** After leaving (or being ended by the server): what happened in plain words, and a way back. */
export function LeftScreen({ onStartAgain, ended = null }: LeftScreenProps) {
  return (
    <section className="card" aria-labelledby="left-title" data-testid="left-screen">
      <h1 id="left-title">{ended ? ended.title : 'You have left the session'}</h1>
      <p>
        {ended ? ended.text : 'Thank you. You can close this page, or start again if you still need help.'}
      </p>
      <button type="button" className="button" onClick={onStartAgain}>
        Start again
      </button>
    </section>
  );
}
