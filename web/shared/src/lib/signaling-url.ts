export interface SignalingEnv {
  /** Base address of the server's sockets, e.g. `wss://desk.example.org` (no path). */
  VITE_SIGNALING_URL?: string | undefined;
  /** Overrides the socket path (default: the app's own, e.g. `/ws/customer`). */
  VITE_SIGNALING_PATH?: string | undefined;
}

export interface LocationLike {
  protocol: string;
  host: string;
}

/**
 * The WebSocket address of an app: `VITE_SIGNALING_URL` + path when set (remote builds),
 * else the page's own host with ws:/wss: matching http:/https:.
 */
export function signalingUrl(defaultPath: string, env: SignalingEnv, location: LocationLike): string {
  const path = env.VITE_SIGNALING_PATH?.trim() || defaultPath;
  const normalisedPath = path.startsWith('/') ? path : `/${path}`;
  const base = env.VITE_SIGNALING_URL?.trim();
  if (base) {
    const trimmed = base.replace(/\/+$/, '');
    const withScheme = trimmed.replace(/^http(s?):\/\//, 'ws$1://');
    if (withScheme.endsWith(normalisedPath)) return withScheme;
    return `${withScheme}${normalisedPath}`;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${normalisedPath}`;
}
