type Listener = ((ev: never) => void) | null;

/** Records what a hook does to an RTCPeerConnection (unit tests only). */
export class FakePeerConnection {
  static instances: FakePeerConnection[] = [];

  config: RTCConfiguration;
  readonly calls: string[] = [];
  readonly addedCandidates: RTCIceCandidateInit[] = [];
  readonly tracks: MediaStreamTrack[] = [];
  readonly transceivers: string[] = [];
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  lastOfferOptions: RTCOfferOptions | undefined;
  /** Make the next setRemoteDescription fail (e.g. a fingerprint change). */
  failNextRemote = false;

  onicecandidate: ((ev: { candidate: RTCIceCandidateInit | null }) => void) | null = null;
  ontrack: ((ev: { streams: MediaStream[]; track: MediaStreamTrack }) => void) | null = null;
  onconnectionstatechange: Listener = null;
  oniceconnectionstatechange: Listener = null;

  constructor(config: RTCConfiguration) {
    this.config = config;
    FakePeerConnection.instances.push(this);
  }

  static reset(): void {
    FakePeerConnection.instances = [];
  }

  static latest(): FakePeerConnection {
    const pc = FakePeerConnection.instances[FakePeerConnection.instances.length - 1];
    if (!pc) throw new Error('no FakePeerConnection was created');
    return pc;
  }

  getConfiguration(): RTCConfiguration {
    return { ...this.config };
  }

  /** Like the browser: refused once closed. */
  setConfiguration(config: RTCConfiguration): void {
    if (this.signalingState === 'closed') throw new DOMException('closed', 'InvalidStateError');
    this.calls.push('setConfiguration');
    this.config = config;
  }

  addTrack(track: MediaStreamTrack): void {
    this.calls.push('addTrack');
    this.tracks.push(track);
  }

  addTransceiver(kind: string): void {
    this.transceivers.push(kind);
  }

  async createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    this.calls.push('createOffer');
    this.lastOfferOptions = options;
    return { type: 'offer', sdp: options?.iceRestart ? 'offer-sdp-restart' : 'offer-sdp' };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    this.calls.push('createAnswer');
    return { type: 'answer', sdp: 'answer-sdp' };
  }

  async setLocalDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setLocalDescription:${desc.type}`);
    this.localDescription = desc;
    this.signalingState = desc.type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    if (this.failNextRemote) {
      this.failNextRemote = false;
      throw new DOMException('fingerprint changed', 'InvalidAccessError');
    }
    this.calls.push(`setRemoteDescription:${desc.type}`);
    this.remoteDescription = desc;
    this.signalingState = desc.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.calls.push('addIceCandidate');
    this.addedCandidates.push(candidate);
  }

  close(): void {
    this.calls.push('close');
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  /** The browser gathered a local candidate. */
  emitCandidate(candidate: RTCIceCandidateInit): void {
    this.onicecandidate?.({ candidate });
  }

  /** The browser's connection state changed. */
  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    (this.onconnectionstatechange as unknown as (() => void) | null)?.();
  }
}

export const fakePeerConnectionFactory = (config: RTCConfiguration): RTCPeerConnection =>
  new FakePeerConnection(config) as unknown as RTCPeerConnection;
