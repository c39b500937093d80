import { AppHeader } from '@support/shared';
import { LoginScreen } from '../features/auth/login-screen';
import { SESSION_ENDED_TEXT, useAuth } from '../features/auth/use-auth';
import { Desk } from '../features/desk/desk';
import { API_BASE, EMPLOYEE_SOCKET_URL } from '../lib/config';

/** The employee app: login, then the live desk. */
export function App() {
  const { auth, login, logout, expire } = useAuth(API_BASE);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader logo="SD" brand="Employee desk" dark>
        {auth.status === 'signed_in' && (
          <>
            <span className="app-header__who">{auth.employee.name}</span>
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => void logout()}
            >
              Log out
            </button>
          </>
        )}
      </AppHeader>
      <main id="main" className="app-main" tabIndex={-1}>
        {auth.status === 'checking' && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {auth.status === 'signed_out' && (
          <div className="app-main--narrow center">
            <LoginScreen onLogin={login} reason={auth.reason} />
          </div>
        )}
        {auth.status === 'signed_in' && (
          <Desk socketUrl={EMPLOYEE_SOCKET_URL} onUnauthorized={() => expire(SESSION_ENDED_TEXT)} />
        )}
      </main>
    </>
  );
}
