import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnyMessage } from '../lib/protocol';
import type { ReconnectPolicy } from '../lib/reconnect-policy';
import { SignalingClient, type SignalingStatus, type SocketFactory } from '../lib/signaling-client';

export interface UseSignalingOptions {
  url: string;
  /** The socket is open while this is true and closed for good when it turns false. */
  enabled: boolean;
  onMessage: (message: AnyMessage) => void;
  /** Each (re)open: send `join` / `resume` here. */
  onOpen?: (reconnected: boolean) => void;
  /** The server refused the socket for good (4401, 4403, 4409). */
  onRefused?: (code: number) => void;
  createSocket?: SocketFactory;
  /** when and how fast to reconnect (a stable value: a new one reopens the socket) */
  policy?: ReconnectPolicy;
  pingIntervalMs?: number;
}

export interface UseSignalingResult {
  status: SignalingStatus;
  /** `false` when the socket is not open right now. */
  send: (message: { type: string; [key: string]: unknown }) => boolean;
  /** Stop for good (the same as `enabled` turning false). */
  close: () => void;
  /** Try again now after the client gave up (`unreachable`). */
  retry: () => void;
}

/**
 * A `SignalingClient` bound to the component's life: opens when `enabled`, reconnects by
 * itself (and at once when the browser comes back online or the page becomes visible again),
 * closes on unmount.
 */
export function useSignaling(options: UseSignalingOptions): UseSignalingResult {
  const [status, setStatus] = useState<SignalingStatus>('closed');
  const clientRef = useRef<SignalingClient | null>(null);
  const handlers = useRef(options);
  handlers.current = options;

  const { url, enabled, createSocket, policy, pingIntervalMs } = options;

  useEffect(() => {
    if (!enabled) return undefined;
    const client = new SignalingClient({
      url,
      onMessage: (message) => handlers.current.onMessage(message),
      onOpen: (reconnected) => handlers.current.onOpen?.(reconnected),
      onRefused: (code) => handlers.current.onRefused?.(code),
      onStatus: setStatus,
      ...(createSocket ? { createSocket } : {}),
      ...(policy ? { policy } : {}),
      ...(pingIntervalMs !== undefined ? { pingIntervalMs } : {}),
    });
    clientRef.current = client;
    client.start();
    // back online, or back to a tab whose timers the browser slowed down: try at once
    const online = () => client.retry();
    const visible = () => {
      if (document.visibilityState === 'visible') client.retry();
    };
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
      client.close();
      if (clientRef.current === client) clientRef.current = null;
      setStatus('closed');
    };
  }, [url, enabled, createSocket, policy, pingIntervalMs]);

  const send = useCallback(
    (message: { type: string; [key: string]: unknown }) => clientRef.current?.send(message) ?? false,
    [],
  );
  const close = useCallback(() => clientRef.current?.close(), []);
  const retry = useCallback(() => clientRef.current?.retry(), []);

  return { status, send, close, retry };
}
