import { parseFrame, CloseCode, type AnyMessage } from './protocol';
import {
  closeVerdict,
  DEFAULT_RECONNECT_POLICY,
  ReconnectSchedule,
  type ReconnectPolicy,
} from './reconnect-policy';

/**
 * - `connecting`: first connection attempt in progress (or waiting to retry it)
 * - `open`: socket open
 * - `reconnecting`: the socket dropped; trying again with backoff
 * - `unreachable`: gave up trying (see `ReconnectPolicy.giveUpAfterMs`); `retry()` starts again
 * - `closed`: stopped for good (asked to, the session ended, or the server refused the socket)
 */
export type SignalingStatus = 'connecting' | 'open' | 'reconnecting' | 'unreachable' | 'closed';

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

export interface SignalingClientOptions {
  url: string;
  /** Called for every well-formed frame. */
  onMessage: (message: AnyMessage) => void;
  /** Called on each open, first or after a reconnect: send `join`/`resume` here. */
  onOpen?: (reconnected: boolean) => void;
  onStatus?: (status: SignalingStatus) => void;
  /** Called when the client stops for good because the server refused the socket (4401, 4403, 4409). */
  onRefused?: (code: number) => void;
  createSocket?: SocketFactory;
  policy?: ReconnectPolicy;
  /** keep-alive `ping` period; 0 disables */
  pingIntervalMs?: number;
  /** source of the reconnect jitter */
  random?: () => number;
}

const OPEN = 1;

/**
 * One JSON WebSocket that reconnects by itself after a drop, as `ReconnectPolicy` says, until
 * `close()` is called, the session ends (`bye`), the server refuses the socket, or the policy
 * gives up. Framework-free; React code uses it through `useSignaling`.
 */
export class SignalingClient {
  private socket: SocketLike | null = null;
  private status: SignalingStatus = 'closed';
  private opened = false;
  private stopped = true;
  private byeReceived = false;
  private readonly schedule: ReconnectSchedule;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private openTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly policy: ReconnectPolicy;
  private readonly pingIntervalMs: number;
  private readonly createSocket: SocketFactory;

  constructor(private readonly options: SignalingClientOptions) {
    this.policy = options.policy ?? DEFAULT_RECONNECT_POLICY;
    this.pingIntervalMs = options.pingIntervalMs ?? 20000;
    this.createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
    this.schedule = new ReconnectSchedule(this.policy, options.random ?? Math.random);
  }

  get currentStatus(): SignalingStatus {
    return this.status;
  }

  /** Open the socket (no-op when already running). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opened = false;
    this.schedule.reset();
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
    if (socket) this.discard(socket, code);
    this.setStatus('closed');
  }

  /**
   * Try again now, with a fresh allowance of retries: after the client gave up, or when the
   * browser comes back online. No-op while open or after a stop for good.
   */
  retry(): void {
    if (this.stopped) return;
    if (this.socket && this.socket.readyState === OPEN) return;
    this.clearTimers();
    if (this.socket) {
      this.discard(this.socket);
      this.socket = null;
    }
    this.schedule.reset();
    this.setStatus(this.opened ? 'reconnecting' : 'connecting');
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
      socket = this.createSocket(this.options.url);
    } catch {
      this.failed();
      return;
    }
    this.socket = socket;
    this.byeReceived = false;
    this.openTimer = setTimeout(() => {
      this.openTimer = null;
      if (this.socket !== socket) return;
      this.socket = null;
      this.discard(socket);
      this.failed();
    }, this.policy.openTimeoutMs);
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.clearOpenTimer();
      const reconnected = this.opened;
      this.opened = true;
      this.schedule.reset();
      this.setStatus('open');
      this.startPing();
      this.options.onOpen?.(reconnected);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      const message = parseFrame(event.data);
      if (!message) return;
      if (message.type === 'bye') this.byeReceived = true;
      this.options.onMessage(message);
    };
    socket.onerror = () => {
      // a close event always follows; reconnect logic lives there
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      this.clearOpenTimer();
      if (this.stopped) return;
      const verdict = closeVerdict(event.code, this.byeReceived);
      if (verdict === 'retry') {
        this.failed();
        return;
      }
      this.stopped = true;
      this.setStatus('closed');
      if (verdict === 'refused') this.options.onRefused?.(event.code);
    };
  }

  /** The socket dropped or an attempt failed: retry after the policy's delay, or give up. */
  private failed(): void {
    if (this.stopped) return;
    const delay = this.schedule.next();
    if (delay === null) {
      this.setStatus('unreachable');
      return;
    }
    this.setStatus(this.opened ? 'reconnecting' : 'connecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  /** Detach our handlers from a socket we no longer want, and close it. */
  private discard(socket: SocketLike, code: number = CloseCode.normal): void {
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

  private startPing(): void {
    this.stopPing();
    if (this.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), this.pingIntervalMs);
    }
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearOpenTimer(): void {
    if (this.openTimer !== null) clearTimeout(this.openTimer);
    this.openTimer = null;
  }

  private clearTimers(): void {
    this.stopPing();
    this.clearOpenTimer();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
