import { useEffect, useRef, useState } from 'react';

export interface QueueCueOptions {
  sound: boolean;
  /** Page title without the badge. */
  baseTitle: string;
  /** How long the list stays highlighted, in ms. */
  highlightMs?: number;
  beep?: () => void;
}

/** A short two-tone beep through WebAudio; silent where audio is unavailable or blocked. */
export function beep(): void {
  const Ctor =
    typeof window !== 'undefined'
      ? (window.AudioContext ??
        (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext)
      : undefined;
  if (!Ctor) return;
  try {
    const context = new Ctor();
    const start = context.currentTime;
    [880, 1320].forEach((frequency, i) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.16);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + i * 0.18);
      oscillator.stop(start + i * 0.18 + 0.17);
    });
    window.setTimeout(() => void context.close().catch(() => undefined), 800);
  } catch {
    // audio refused: the visual cue remains
  }
}

/**
 * Cues for a queue that goes from empty to non-empty: a beep (when `sound`), a highlight for a
 * few seconds, and the count in the page title ("(2) Employee desk") so another tab shows it.
 * Returns whether the highlight is on.
 */
export function useQueueCue(count: number | null, options: QueueCueOptions): boolean {
  const { sound, baseTitle, highlightMs = 5000 } = options;
  const previous = useRef<number | null>(null);
  const [highlight, setHighlight] = useState(false);
  const beepRef = useRef(options.beep ?? beep);
  beepRef.current = options.beep ?? beep;

  useEffect(() => {
    const before = previous.current;
    previous.current = count;
    if (count === null) return undefined;
    if (before === 0 && count > 0) {
      if (sound) beepRef.current();
      setHighlight(true);
      const id = window.setTimeout(() => setHighlight(false), highlightMs);
      return () => window.clearTimeout(id);
    }
    if (count === 0) setHighlight(false);
    return undefined;
  }, [count, sound, highlightMs]);

  useEffect(() => {
    document.title = count && count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
  }, [count, baseTitle]);

  return highlight;
}
