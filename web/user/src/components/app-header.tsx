export interface AppHeaderProps {
  name: string | null;
}

/** Top bar: who runs the desk, and whose session this is. */
export function AppHeader({ name }: AppHeaderProps) {
  return (
    <header className="app-header">
      <p className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true">
          ID
        </span>
        Identity check
      </p>
      {name && (
        <div className="app-header__actions">
          <span className="app-header__who">
            <span className="visually-hidden">Your session: </span>
            {name}
          </span>
        </div>
      )}
    </header>
  );
}
