export interface LeftScreenProps {
  onStartAgain: () => void;
}

/** After leaving: a plain goodbye and a way back. */
export function LeftScreen({ onStartAgain }: LeftScreenProps) {
  return (
    <section className="card" aria-labelledby="left-title" data-testid="left-screen">
      <h1 id="left-title">You have left the session</h1>
      <p>Thank you. You can close this page, or start again if you still need help.</p>
      <button type="button" className="button" onClick={onStartAgain}>
        Start again
      </button>
    </section>
  );
}
