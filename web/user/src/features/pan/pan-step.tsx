import { Notice, useNow, type PanFields } from '@support/shared';
import { useId, useRef, type ChangeEvent } from 'react';
import { PanForm } from './pan-form';
import type { PanUpload } from './use-pan-upload';

export interface PanStepProps {
  upload: PanUpload;
  confirmed: PanFields | null;
  confirmError: string | null;
  onConfirm: (fields: PanFields) => boolean;
  /** heading level context: a section of the waiting or call screen */
  compact?: boolean;
}

/** Choose or photograph the PAN card, watch it upload, then check and confirm the details. */
export function PanStep({ upload, confirmed, confirmError, onConfirm, compact = false }: PanStepProps) {
  const id = useId();
  const camera = useRef<HTMLInputElement>(null);
  const busy = upload.status === 'uploading' || upload.status === 'reading';
  const now = useNow(1000, upload.retryAt !== null);
  const retryInS = upload.retryAt === null ? null : Math.max(0, Math.ceil((upload.retryAt - now) / 1000));

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) upload.select(file);
    // allow choosing the same file again after an error
    event.target.value = '';
  };

  return (
    <section
      className={`card pan-step${compact ? ' pan-step--compact' : ''}`}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>Your PAN card</h2>
      <p className="muted">
        Upload a clear photo of the front of your PAN card. We read the details for you to check.
      </p>
      <div className="pan-step__pickers">
        <label className="button button--secondary file-picker">
          <input
            className="visually-hidden"
            type="file"
            accept="image/*"
            onChange={onFile}
            disabled={busy}
            data-testid="pan-file-input"
          />
          Choose a file
        </label>
        <label className="button button--secondary file-picker">
          <input
            className="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
            ref={camera}
            onChange={onFile}
            disabled={busy}
            data-testid="pan-camera-input"
          />
          Take a photo
        </label>
      </div>

      {upload.previewUrl && (
        <img className="pan-step__preview" src={upload.previewUrl} alt="Preview of the PAN card you chose" />
      )}

      <div role="status" aria-live="polite">
        {upload.status === 'uploading' && (
          <div className="pan-step__progress">
            <label htmlFor={`${id}-progress`}>Uploading… {Math.round(upload.progress * 100)}%</label>
            <progress id={`${id}-progress`} max={100} value={Math.round(upload.progress * 100)} />
          </div>
        )}
        {upload.status === 'reading' && (
          <p className="pan-step__reading">
            <span className="spinner" aria-hidden="true" /> Reading your card…
          </p>
        )}
      </div>

      {upload.status === 'error' && upload.error && (
        <Notice tone="error" title="We could not read your card">
          <p>{upload.error}</p>
          {retryInS !== null && <p className="muted">Trying again automatically in {retryInS} s…</p>}
          {upload.canRetry && (
            <button type="button" className="button button--small" onClick={upload.retry}>
              Try again
            </button>
          )}
        </Notice>
      )}

      {upload.result && !busy && (upload.result.quality?.length ?? 0) > 0 && (
        <Notice tone="warning" title="Your photo could be better">
          <ul className="pan-step__quality" data-testid="pan-quality">
            {upload.result.quality?.map((finding) => (
              <li key={finding.code}>{finding.message}</li>
            ))}
          </ul>
          <p className="muted">Check the details below, or take the photo again.</p>
          <button type="button" className="button button--small" onClick={() => camera.current?.click()}>
            Retake
          </button>
        </Notice>
      )}

      {upload.result && !busy && (
        <PanForm
          key={JSON.stringify(upload.result)}
          result={upload.result}
          confirmed={confirmed}
          confirmError={confirmError}
          onConfirm={onConfirm}
        />
      )}
    </section>
  );
}
