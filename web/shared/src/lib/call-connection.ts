import type { CallConnection } from '../components/connection-badge';
import type { PeerState } from '../hooks/use-peer-connection';
import type { SignalingStatus } from './signaling-client';

export interface CallConnectionInputs {
  signaling: SignalingStatus;
  peer: PeerState;
  /** The server told us the other side dropped (`peer_reconnecting`). */
  peerAway: boolean;
  /** The peer connection was connected at least once in this call. */
  wasConnected: boolean;
}

/** One word for the person: is the call `connecting`, `reconnecting` or `connected`? */
export function callConnection({
  signaling,
  peer,
  peerAway,
  wasConnected,
}: CallConnectionInputs): CallConnection {
  if (peer === 'connected' && !peerAway) return 'connected';
  if (peer === 'connected' && peerAway) return 'reconnecting';
  if (signaling === 'reconnecting' || signaling === 'unreachable' || peerAway) return 'reconnecting';
  if (
    wasConnected &&
    (peer === 'disconnected' || peer === 'failed' || peer === 'connecting' || peer === 'new')
  ) {
    return 'reconnecting';
  }
  return 'connecting';
}
