/** `75` -> `1 min 15 s`; `3725` -> `1 h 2 min`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds.toString().padStart(2, '0')} s`;
  return `${seconds} s`;
}

/** Short human estimate for a wait (fits a phone): `under 1 min`, `about 3 min`, `about 1 h 5 min`. */
export function formatEstimate(seconds: number): string {
  if (seconds < 60) return 'under 1 min';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h` : `about ${hours} h ${rest} min`;
}

/** Confidence 0..1 as a whole percentage. */
export function formatConfidence(confidence: number | null | undefined): string {
  if (confidence === null || confidence === undefined || Number.isNaN(confidence)) return 'n/a';
  return `${Math.round(confidence * 100)}%`;
}

/** Below this a field is flagged for the person to check. */
export const LOW_CONFIDENCE = 0.8;

export function isLowConfidence(confidence: number | null | undefined): boolean {
  return confidence !== null && confidence !== undefined && confidence < LOW_CONFIDENCE;
}
