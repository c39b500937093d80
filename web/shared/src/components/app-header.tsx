import type { ReactNode } from 'react';

export interface AppHeaderProps {
  /** two letters in the logo square */
  logo: string;
  brand: string;
  /** the employee desk's dark bar */
  dark?: boolean;
  /** the right-hand side (who is signed in, buttons); nothing when falsy */
  children?: ReactNode;
}

/** The top bar of an app: logo and name on the left, the session's actions on the right. */
export function AppHeader({ logo, brand, dark = false, children }: AppHeaderProps) {
  return (
    <header className={dark ? 'app-header app-header--dark' : 'app-header'}>
      <p className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true">
          {logo}
        </span>
        {brand}
      </p>
      {children && <div className="app-header__actions">{children}</div>}
    </header>
  );
}
