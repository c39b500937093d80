import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnyMessage } from '../lib/protocol';
import {
  SignalingClient,
  type BackoffOptions,
  type SignalingStatus,
  type SocketFactory,
} from '../lib/signaling-client';

export interface UseSignalingOptions {
  url: string;
  /** The socket is open while this is true and closed for good when it turns false. */
  enabled: boolean;
  onMessage: (message: AnyMessage) => void;
  /** Each (re)open: send `join` / `resume` here. */
  onOpen?: (reconnected: boolean) => void;
  onFatalClose?: (code: number) => void;
  createSocket?: SocketFactory;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
}

export interface UseSignalingResult {
  status: SignalingStatus;
  /** `false` when the socket is not open right now. */
  send: (message: { type: string; [key: string]: unknown }) => boolean;
  /** Stop for good (the same as `enabled` turning false). */
  close: () => void;
}

/**
 * A `SignalingClient` bound to the component's life: opens when `enabled`, reconnects by
 * itself (and at once when the browser comes back online), closes on unmount.
 */
export function useSignaling(options: UseSignalingOptions): UseSignalingResult {
  const [status, setStatus] = useState<SignalingStatus>('closed');
  const clientRef = useRef<SignalingClient | null>(null);
  const handlers = useRef(options);
  handlers.current = options;

  const { url, enabled, createSocket, backoff, pingIntervalMs } = options;

  useEffect(() => {
    if (!enabled) return undefined;
    const client = new SignalingClient({
      url,
      onMessage: (message) => handlers.current.onMessage(message),
      onOpen: (reconnected) => handlers.current.onOpen?.(reconnected),
      onFatalClose: (code) => handlers.current.onFatalClose?.(code),
      onStatus: setStatus,
      ...(createSocket ? { createSocket } : {}),
      ...(backoff ? { backoff } : {}),
      ...(pingIntervalMs !== undefined ? { pingIntervalMs } : {}),
    });
    clientRef.current = client;
    client.start();
    const online = () => client.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      client.close();
      if (clientRef.current === client) clientRef.current = null;
      setStatus('closed');
    };
  }, [url, enabled, createSocket, backoff, pingIntervalMs]);

  const send = useCallback(
    (message: { type: string; [key: string]: unknown }) => clientRef.current?.send(message) ?? false,
    [],
  );
  const close = useCallback(() => clientRef.current?.close(), []);

  return { status, send, close };
}
