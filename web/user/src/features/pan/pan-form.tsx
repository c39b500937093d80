import {
  formatConfidence,
  isLowConfidence,
  type PanFieldName,
  type PanFields,
  type PanResult,
} from '@support/shared';
import { useId, useRef, useState, type FormEvent } from 'react';

const PAN_PATTERN = /^[A-Z]{5}[0-9]{4}[A-Z]$/;

const FIELDS: ReadonlyArray<{
  key: PanFieldName;
  label: string;
  type: 'text' | 'date';
  autoComplete: string;
}> = [
  { key: 'pan', label: 'PAN number', type: 'text', autoComplete: 'off' },
  { key: 'name', label: 'Name', type: 'text', autoComplete: 'name' },
  { key: 'father_name', label: "Father's name", type: 'text', autoComplete: 'off' },
  { key: 'dob', label: 'Date of birth', type: 'date', autoComplete: 'bday' },
];

export interface PanFormProps {
  result: PanResult;
  /** Values the server acknowledged (`pan_confirmed`). */
  confirmed: PanFields | null;
  /** Server-side rejection of the confirmation. */
  confirmError: string | null;
  onConfirm: (fields: PanFields) => boolean;
}

type Values = Record<PanFieldName, string>;

function toValues(fields: PanFields): Values {
  return {
    pan: fields.pan ?? '',
    name: fields.name ?? '',
    father_name: fields.father_name ?? '',
    dob: fields.dob ?? '',
  };
}

function toFields(values: Values): PanFields {
  const clean = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    pan: clean(values.pan)?.toUpperCase() ?? null,
    name: clean(values.name),
    father_name: clean(values.father_name),
    dob: clean(values.dob),
  };
}

/** The OCR result as an editable form; fields we are unsure of are flagged in words. */
export function PanForm({ result, confirmed, confirmError, onConfirm }: PanFormProps) {
  const baseId = useId();
  const [values, setValues] = useState<Values>(() => toValues(result));
  const [errors, setErrors] = useState<Partial<Record<PanFieldName, string>>>({});
  const [sent, setSent] = useState<'idle' | 'sent' | 'offline'>('idle');
  const ackBefore = useRef<PanFields | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = toFields(values);
    const problems: Partial<Record<PanFieldName, string>> = {};
    if (fields.pan && !PAN_PATTERN.test(fields.pan)) {
      problems.pan = 'A PAN number is 5 letters, 4 digits and 1 letter, like ABCPE1234F.';
    }
    if (fields.name && fields.name.length > 100) problems.name = 'At most 100 characters.';
    if (fields.father_name && fields.father_name.length > 100) {
      problems.father_name = 'At most 100 characters.';
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    ackBefore.current = confirmed;
    setSent(onConfirm(fields) ? 'sent' : 'offline');
  };

  // a fresh `pan_confirmed` (a new object) after our send is the acknowledgement
  const isConfirmed = sent === 'sent' && confirmed !== null && confirmed !== ackBefore.current;

  return (
    <form className="pan-form" onSubmit={submit} noValidate aria-label="Check your PAN card details">
      <p className="muted">Check what we read and correct anything that is wrong, then confirm.</p>
      {FIELDS.map(({ key, label, type, autoComplete }) => {
        const id = `${baseId}-${key}`;
        const confidence = result.confidence?.[key];
        const flagged = isLowConfidence(confidence) || (result[key] === null && key !== 'father_name');
        const flagId = `${id}-flag`;
        const errorId = `${id}-error`;
        const describedBy = [flagged ? flagId : null, errors[key] ? errorId : null].filter(Boolean).join(' ');
        return (
          <div key={key} className={`field${flagged ? ' field--flagged' : ''}`}>
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              name={key}
              className="input"
              type={type}
              autoComplete={autoComplete}
              value={values[key]}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={describedBy || undefined}
              data-confidence={confidence ?? undefined}
              onChange={(event) => {
                const value = key === 'pan' ? event.target.value.toUpperCase() : event.target.value;
                setValues((current) => ({ ...current, [key]: value }));
                setSent('idle');
              }}
              {...(key === 'pan' ? { maxLength: 10, spellCheck: false, autoCapitalize: 'characters' } : {})}
            />
            {flagged && (
              <span id={flagId} className="field__flag">
                <span aria-hidden="true">⚠</span>
                {result[key] === null
                  ? 'We could not read this. Please fill it in.'
                  : `Please check: we are not sure we read this right (${formatConfidence(confidence)} sure).`}
              </span>
            )}
            {errors[key] && (
              <span id={errorId} className="field__error">
                {errors[key]}
              </span>
            )}
          </div>
        );
      })}
      {result.warnings.length > 0 && (
        <details className="pan-form__warnings">
          <summary>Notes from the card reader ({result.warnings.length})</summary>
          <ul>
            {result.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      )}
      <div role="status" aria-live="polite" className="pan-form__status">
        {confirmError && sent === 'sent' && (
          <p className="field__error">The details were not accepted: {confirmError}</p>
        )}
        {sent === 'offline' && (
          <p className="field__error">You are offline right now. Please try again in a moment.</p>
        )}
        {isConfirmed && !confirmError && (
          <p className="pan-form__confirmed">
            <span aria-hidden="true">✓</span> Confirmed. The agent can see these details.
          </p>
        )}
        {sent === 'sent' && !isConfirmed && !confirmError && <p className="muted">Sending…</p>}
      </div>
      <button type="submit" className="button button--block">
        Confirm details
      </button>
    </form>
  );
}
