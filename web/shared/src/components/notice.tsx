import type { ReactNode } from 'react';

export interface NoticeProps {
  tone?: 'info' | 'success' | 'warning' | 'error';
  title?: string;
  children: ReactNode;
  onDismiss?: () => void;
}

const ICONS = { info: 'ℹ', success: '✓', warning: '!', error: '✕' } as const;

/**
 * A message box read out by screen readers when it appears (errors interrupt, the rest waits).
 * The tone is given by an icon and a title as well as colour.
 */
export function Notice({ tone = 'info', title, children, onDismiss }: NoticeProps) {
  return (
    <div
      className={`notice notice--${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      aria-live={tone === 'error' ? 'assertive' : 'polite'}
    >
      <span className="notice__icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div className="notice__body">
        {title && <strong className="notice__title">{title}</strong>}
        <div>{children}</div>
      </div>
      {onDismiss && (
        <button type="button" className="notice__dismiss" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
