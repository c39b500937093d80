import { useState } from 'react';
import {
  formatConfidence,
  isLowConfidence,
  PAN_FIELD_NAMES,
  type PanFieldName,
  type PanFields,
  type PanResult,
} from '@support/shared';

const LABELS: Record<PanFieldName, string> = {
  pan: 'PAN number',
  name: 'Name',
  father_name: "Father's name",
  dob: 'Date of birth',
};

export interface PanPanelProps {
  customerName: string;
  result: PanResult | null;
  /** the card as it was read (cut out, upright) */
  imageUrl: string | null;
  /** the whole picture the customer sent */
  originalUrl?: string | null;
  confirmed: PanFields | null;
}

function normalise(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toUpperCase();
}

/** Whether the customer's confirmed value differs from what OCR read. */
export function differs(ocr: string | null | undefined, confirmed: string | null | undefined): boolean {
  return normalise(ocr) !== normalise(confirmed);
}

function show(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : value;
}

/** The customer's PAN card: the photo, each OCR field with its confidence, and what they confirmed. */
export function PanPanel({ customerName, result, imageUrl, originalUrl = null, confirmed }: PanPanelProps) {
  // the server may have dropped the image to stay within its memory budget (410)
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const imageMissing = imageUrl !== null && failedUrl === imageUrl;
  return (
    <section className="card pan-panel" aria-labelledby="pan-panel-title" data-testid="pan-panel">
      <h2 id="pan-panel-title">PAN card</h2>
      {!result && !confirmed && (
        <p className="muted" role="status">
          {customerName} has not uploaded a PAN card yet. Ask them to use “Choose a file” or “Take a photo”.
        </p>
      )}
      {imageUrl && !imageMissing && (
        <a href={imageUrl} target="_blank" rel="noreferrer" className="pan-panel__image-link">
          <img
            src={imageUrl}
            alt={`PAN card uploaded by ${customerName}`}
            className="pan-panel__image"
            data-testid="pan-image"
            onError={() => setFailedUrl(imageUrl)}
          />
          <span className="visually-hidden"> (opens full size in a new tab)</span>
        </a>
      )}
      {originalUrl && !imageMissing && (
        <p className="pan-panel__original">
          <a href={originalUrl} target="_blank" rel="noreferrer" data-testid="pan-original">
            Open the original photo
          </a>
        </p>
      )}
      {result && (result.quality?.length ?? 0) > 0 && (
        <div className="pan-panel__quality" role="status" data-testid="pan-quality">
          <h3>Photo quality</h3>
          <ul>
            {result.quality?.map((finding) => (
              <li key={finding.code}>{finding.message}</li>
            ))}
          </ul>
        </div>
      )}
      {imageMissing && (
        <p className="muted" role="status" data-testid="pan-image-missing">
          The card image is no longer available. Ask {customerName} to upload it again.
        </p>
      )}
      {(result || confirmed) && (
        <div className="table-scroll">
          <table className="pan-table">
            <caption className="visually-hidden">OCR result and the customer’s confirmed values</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Read from card</th>
                <th scope="col">Confirmed by customer</th>
              </tr>
            </thead>
            <tbody>
              {PAN_FIELD_NAMES.map((key) => {
                const ocr = result?.[key] ?? null;
                const confidence = result?.confidence?.[key];
                const low = result !== null && isLowConfidence(confidence);
                const mine = confirmed?.[key];
                const different = confirmed !== null && result !== null && differs(ocr, mine);
                return (
                  <tr key={key} className={different ? 'pan-table__row--diff' : undefined} data-field={key}>
                    <th scope="row">{LABELS[key]}</th>
                    <td data-label="Read from card">
                      <span className="pan-table__value" data-testid={`ocr-${key}`}>
                        {show(ocr)}
                      </span>
                      {result && (
                        <span className={`confidence${low ? ' confidence--low' : ''}`}>
                          {low && <span aria-hidden="true">⚠ </span>}
                          {low ? 'Low confidence' : 'Confidence'} {formatConfidence(confidence)}
                        </span>
                      )}
                    </td>
                    <td data-label="Confirmed by customer">
                      <span className="pan-table__value" data-testid={`confirmed-${key}`}>
                        {confirmed ? show(mine) : 'Not confirmed yet'}
                      </span>
                      {different && (
                        <span className="diff-badge">
                          <span aria-hidden="true">≠ </span>Differs from card
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result && (
        <dl className="pan-panel__meta">
          {result.layout && (
            <div>
              <dt>Layout</dt>
              <dd>{String(result.layout)}</dd>
            </div>
          )}
          {typeof result.mother_name === 'string' && result.mother_name && (
            <div>
              <dt>Mother&apos;s name (on the card)</dt>
              <dd>{result.mother_name}</dd>
            </div>
          )}
          {result.holder_type && (
            <div>
              <dt>Holder</dt>
              <dd>{String(result.holder_type)}</dd>
            </div>
          )}
        </dl>
      )}
      {result && result.warnings.length > 0 && (
        <div className="pan-panel__warnings">
          <h3>Warnings</h3>
          <ul>
            {result.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
