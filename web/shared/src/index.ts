export { AppHeader, type AppHeaderProps } from './components/app-header';
export { CallControls, type CallControlsProps } from './components/call-controls';
export { CallPanel, type CallPanelProps } from './components/call-panel';
export {
  ConnectionBadge,
  type CallConnection,
  type ConnectionBadgeProps,
} from './components/connection-badge';
export {
  ConnectionNotice,
  RECONNECTING_TITLE,
  UNREACHABLE_TITLE,
  type ConnectionNoticeProps,
} from './components/connection-notice';
export { Notice, type NoticeProps } from './components/notice';
export { VideoTile, type VideoTileProps } from './components/video-tile';
export { useCallPeer, type UseCallPeerOptions, type UseCallPeerResult } from './hooks/use-call-peer';
export {
  DENIED_MESSAGE,
  UNAVAILABLE_MESSAGE,
  useMedia,
  type MediaStatus,
  type UseMediaResult,
} from './hooks/use-media';
export { useNow } from './hooks/use-now';
export {
  usePeerConnection,
  type PeerRole,
  type PeerState,
  type UsePeerConnectionOptions,
  type UsePeerConnectionResult,
} from './hooks/use-peer-connection';
export { useSignaling, type UseSignalingOptions, type UseSignalingResult } from './hooks/use-signaling';
export { ApiError, apiUrl, parseApiError, type ApiErrorBody } from './lib/api-error';
export { callConnection, type CallConnectionInputs } from './lib/call-connection';
export {
  formatConfidence,
  formatDuration,
  formatEstimate,
  isLowConfidence,
  LOW_CONFIDENCE,
} from './lib/format';
export { mountApp } from './lib/mount-app';
export * from './lib/protocol';
export {
  closeVerdict,
  DEFAULT_RECONNECT_POLICY,
  reconnectDelay,
  ReconnectSchedule,
  type CloseVerdict,
  type ReconnectPolicy,
} from './lib/reconnect-policy';
export {
  SignalingClient,
  type SignalingClientOptions,
  type SignalingStatus,
  type SocketFactory,
  type SocketLike,
} from './lib/signaling-client';
export { signalingUrl, type LocationLike, type SignalingEnv } from './lib/signaling-url';
