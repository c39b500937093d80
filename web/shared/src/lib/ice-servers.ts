/**
 * Puts fresh ICE servers (TURN credentials renewed by the server's `ice_servers` message) into
 * an open RTCPeerConnection, keeping the rest of its configuration. Returns false when the
 * connection refuses them (closed, or a server entry the browser rejects); the caller's next
 * connection uses them anyway.
 */
export function applyIceServers(pc: RTCPeerConnection, iceServers: RTCIceServer[]): boolean {
  try {
    pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
    return true;
  } catch (error) {
    console.warn('peer connection: could not apply new ICE servers:', error);
    return false;
  }
}
