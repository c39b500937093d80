import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

/** Render an app into its index.html's `#root` element, in StrictMode. */
export function mountApp(app: ReactNode): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(<StrictMode>{app}</StrictMode>);
}
