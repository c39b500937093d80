import { CloseCode } from './protocol';

/**
 * When the browser apps reconnect their signaling socket by themselves, and how fast
 * (docs/protocol.md, "Reconnecting"). Framework-free; `SignalingClient` applies it.
 *
 * - Delays grow exponentially from `baseMs`, capped at `capMs`, with **full jitter** (each delay
 *   is uniform between 0 and that bound), so the sockets a server restart closed all at once do
 *   not all come back at once.
 * - The cap is well inside the server's grace periods (15 s for a waiting customer's place,
 *   30 s in a call, by default), so a dropped customer gets several tries to `resume` in time.
 * - After `giveUpAfterMs` without an open socket the client stops and the person is told, with a
 *   way to try again (coming back online tries again at once).
 */
export interface ReconnectPolicy {
  /** bound of the first delay */
  baseMs: number;
  /** bound of every later delay */
  capMs: number;
  /** stop trying once the socket has been down (or never up) this long */
  giveUpAfterMs: number;
  /** an attempt that has not opened by then counts as failed (a silent network hangs for minutes) */
  openTimeoutMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  baseMs: 500,
  capMs: 5_000,
  giveUpAfterMs: 60_000,
  openTimeoutMs: 10_000,
};

/** Delay before retry number `attempt` (0-based): uniform in [0, min(cap, base * 2^attempt)). */
export function reconnectDelay(
  attempt: number,
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.floor(random() * bound);
}

/**
 * What a close of the socket means for the client:
 * - `retry`: dropped (1006), server going away or restarting (1001), or any other code: try again
 * - `ended`: the session is over on purpose (the server said `bye` first): stay closed
 * - `refused`: the server will not take this socket back (4401 logged out or login expired,
 *   4403 origin not allowed, 4409 replaced by a newer socket, 4429 too many sockets from this
 *   address): stay closed and tell the person
 */
export type CloseVerdict = 'retry' | 'ended' | 'refused';

const REFUSED: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.originNotAllowed,
  CloseCode.replaced,
  CloseCode.tooManySockets,
]);

/** The verdict on a close `code`; `byeReceived`: the server sent `bye` on this socket. */
export function closeVerdict(code: number, byeReceived: boolean): CloseVerdict {
  if (REFUSED.has(code)) return 'refused';
  if (byeReceived) return 'ended';
  return 'retry';
}

/**
 * The retries of one outage: `next()` after each failed or dropped socket gives the delay
 * before the next attempt, or `null` once the outage has lasted `giveUpAfterMs`; `reset()`
 * when a socket opens.
 */
export class ReconnectSchedule {
  private attempt = 0;
  private downSince: number | null = null;

  constructor(
    private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the next attempt, or `null`: give up. */
  next(): number | null {
    const now = this.now();
    this.downSince ??= now;
    if (now - this.downSince >= this.policy.giveUpAfterMs) return null;
    const delay = reconnectDelay(this.attempt, this.policy, this.random);
    this.attempt += 1;
    return delay;
  }

  /** A socket opened (or the person asked to try again): the next outage starts afresh. */
  reset(): void {
    this.attempt = 0;
    this.downSince = null;
  }
}
