import { CloseCode, parseFrame, type AnyMessage } from './protocol';

/**
 * - `connecting`: first connection attempt in progress
 * - `open`: socket open
 * - `reconnecting`: the socket dropped; trying again with backoff
 * - `closed`: stopped for good (asked to, or the server said not to come back)
 */
export type SignalingStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Minimal WebSocket surface the client needs (lets tests pass a stub). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface BackoffOptions {
  /** first retry delay */
  initialMs: number;
  /** cap on the delay */
  maxMs: number;
}

export interface SignalingClientOptions {
  url: string;
  /** Called for every well-formed frame. */
  onMessage: (message: AnyMessage) => void;
  /** Called on each open, first or after a reconnect: send `join`/`resume` here. */
  onOpen?: (reconnected: boolean) => void;
  onStatus?: (status: SignalingStatus) => void;
  /** Called when the client stops for good after a close the server meant (4401, 4403, 4409). */
  onFatalClose?: (code: number) => void;
  createSocket?: SocketFactory;
  backoff?: BackoffOptions;
  /** keep-alive `ping` period; 0 disables */
  pingIntervalMs?: number;
  random?: () => number;
}

const OPEN = 1;

/** Close codes after which reconnecting cannot help. */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.originNotAllowed,
  CloseCode.replaced,
]);

/** Delay before retry number `attempt` (0-based): exponential, capped, with +-25% jitter. */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
  const jitter = 0.75 + random() * 0.5;
  return Math.round(Math.min(backoff.maxMs, base * jitter));
}

/**
 * One JSON WebSocket that reconnects by itself after a drop (exponential backoff with jitter)
 * until `close()` is called or the server closes with a code that says not to come back.
 * Framework-free; React code uses it through `useSignaling`.
 */
export class SignalingClient {
  private socket: SocketLike | null = null;
  private status: SignalingStatus = 'closed';
  private attempt = 0;
  private opened = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly options: Required<
    Pick<SignalingClientOptions, 'backoff' | 'pingIntervalMs' | 'random' | 'createSocket'>
  > &
    SignalingClientOptions;

  constructor(options: SignalingClientOptions) {
    this.options = {
      backoff: { initialMs: 500, maxMs: 8000 },
      pingIntervalMs: 20000,
      random: Math.random,
      createSocket: (url: string) => new WebSocket(url),
      ...options,
    };
  }

  get currentStatus(): SignalingStatus {
    return this.status;
  }

  /** Open the socket (no-op when already running). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opened = false;
    this.attempt = 0;
    this.setStatus('connecting');
    this.connect();
  }

  /** Send one message; `false` when the socket is not open (nothing is queued). */
  send(message: { type: string; [key: string]: unknown }): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** Stop for good: no more reconnects. */
  close(code: number = CloseCode.normal): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.onopen = null;
      try {
        socket.close(code);
      } catch {
        // already closed
      }
    }
    this.setStatus('closed');
  }

  /** Drop the current socket and reconnect now (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.socket && this.socket.readyState === OPEN) return;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.socket) {
      const old = this.socket;
      this.socket = null;
      old.onclose = null;
      try {
        old.close();
      } catch {
        // ignore
      }
    }
    this.connect();
  }

  private setStatus(status: SignalingStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private connect(): void {
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const reconnected = this.opened;
      this.opened = true;
      this.attempt = 0;
      this.setStatus('open');
      this.startPing();
      this.options.onOpen?.(reconnected);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      const message = parseFrame(event.data);
      if (message) this.options.onMessage(message);
    };
    socket.onerror = () => {
      // a close event always follows; reconnect logic lives there
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      if (this.stopped) return;
      if (event.code === CloseCode.normal && this.opened) {
        // the server ended the session on purpose (after `bye`)
        this.stopped = true;
        this.setStatus('closed');
        return;
      }
      if (FATAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.setStatus('closed');
        this.options.onFatalClose?.(event.code);
        return;
      }
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.setStatus(this.opened ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private startPing(): void {
    this.stopPing();
    if (this.options.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), this.options.pingIntervalMs);
    }
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearTimers(): void {
    this.stopPing();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
