/**
 * Typed messages of docs/protocol.md (the wire contract with support_server).
 * Keys stay snake_case exactly as on the wire.
 */

export type ErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'unknown_type'
  | 'not_allowed'
  | 'invalid_name'
  | 'already_joined'
  | 'not_joined'
  | 'resume_failed'
  | 'not_in_room'
  | 'not_found'
  | 'already_taken'
  | 'already_in_room'
  | 'rate_limited'
  | 'queue_full'
  | 'unauthorized'
  | 'origin_not_allowed'
  | 'too_many_connections'
  | 'join_timeout';

/** Close codes with a meaning of their own (docs/protocol.md, "Close codes"). */
export const CloseCode = {
  normal: 1000,
  tooBig: 1009,
  unauthorized: 4401,
  originNotAllowed: 4403,
  replaced: 4409,
  tooManySockets: 4429,
} as const;

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode | string;
  message: string;
  request?: string;
}

export interface PongMessage {
  type: 'pong';
}

/** The four values a PAN card gives us; any may be missing. */
export interface PanFields {
  pan: string | null;
  name: string | null;
  father_name: string | null;
  /** `YYYY-MM-DD` */
  dob: string | null;
}

export type PanFieldName = keyof PanFields;

export const PAN_FIELD_NAMES: readonly PanFieldName[] = ['pan', 'name', 'father_name', 'dob'];

/** What is wrong with the picture of a card (`panread.QualityCode`). */
export type QualityCode = 'blurry' | 'glare' | 'too_small' | 'cut_off' | 'too_dark';

/** A problem with the picture, with a message in plain words for the person holding the card. */
export interface QualityFinding {
  code: QualityCode;
  message: string;
}

/** `panread`'s `PanCard.to_dict()` as returned by `POST /api/pan/extract`. */
export interface PanResult extends PanFields {
  confidence: Partial<Record<PanFieldName, number | null>>;
  layout?: string | null;
  holder_type?: string | null;
  warnings: string[];
  /** findings about the picture: a reason to take it again (empty when it is fine) */
  quality?: QualityFinding[];
  [extra: string]: unknown;
}

/** Browser-independent wire form of an ICE candidate (snake_case). */
export interface WireCandidate {
  candidate: string;
  sdp_mid: string | null;
  sdp_m_line_index: number | null;
}

export interface WireDescription {
  type: 'offer' | 'answer';
  sdp: string;
}

export type SignalData = { description: WireDescription } | { candidate: WireCandidate };

export interface SignalMessage {
  type: 'signal';
  data: SignalData;
}

export interface PeerReconnecting {
  type: 'peer_reconnecting';
}

export interface PeerReconnected {
  type: 'peer_reconnected';
}

/** Fresh TURN credentials before the previous ones expire: use them from now on. */
export interface IceServersMessage {
  type: 'ice_servers';
  ice_servers: RTCIceServer[];
}

export interface PanConfirmed {
  type: 'pan_confirmed';
  fields: PanFields;
}

// ---- customer socket -------------------------------------------------------------------

export interface CustomerWelcome {
  type: 'welcome';
  customer_id: string;
  token: string;
  resumed: boolean;
  ice_servers: RTCIceServer[];
}

export interface QueuePosition {
  type: 'queue_position';
  position: number;
  waiting: number;
  estimated_wait_s: number | null;
}

export interface CustomerPaired {
  type: 'paired';
  room_id: string;
  /** the employee's display name, never their login */
  employee: { name: string };
  /** the list for the call, with TURN credentials (`welcome` has STUN only) */
  ice_servers: RTCIceServer[];
}

export interface EmployeeLeft {
  type: 'employee_left';
}

export interface Bye {
  type: 'bye';
}

export type CustomerServerMessage =
  | CustomerWelcome
  | QueuePosition
  | CustomerPaired
  | IceServersMessage
  | SignalMessage
  | EmployeeLeft
  | PanConfirmed
  | PeerReconnecting
  | PeerReconnected
  | Bye
  | PongMessage
  | ErrorMessage;

export type CustomerClientMessage =
  | { type: 'join'; name: string }
  | { type: 'resume'; token: string }
  | SignalMessage
  | { type: 'pan_confirm'; fields: PanFields }
  | { type: 'leave' }
  | { type: 'ping' };

// ---- employee socket -------------------------------------------------------------------

export type PanStatus = 'none' | 'read' | 'confirmed';

export interface QueueEntry {
  customer_id: string;
  name: string;
  /** ISO 8601 UTC */
  waiting_since: string;
  pan_status: PanStatus;
}

export interface EmployeeWelcome {
  type: 'welcome';
  employee: { id: string; name: string };
  ice_servers: RTCIceServer[];
}

/** The whole queue, front first, after change number `seq`: on connect and after `queue_sync`. */
export interface QueueMessage {
  type: 'queue';
  seq: number;
  customers: QueueEntry[];
}

/** One numbered change of the queue; change `seq` follows change `seq - 1`. */
export type QueueChange =
  | { seq: number; op: 'added'; /** 1-based, after the change */ position: number; customer: QueueEntry }
  | { seq: number; op: 'removed'; customer_id: string }
  | { seq: number; op: 'updated'; customer: QueueEntry };

/** The changes since the last such message, in order; `waiting` is the length after them. */
export interface QueueChangesMessage {
  type: 'queue_changes';
  changes: QueueChange[];
  waiting: number;
}

export interface EmployeePaired {
  type: 'paired';
  room_id: string;
  customer: { customer_id: string; name: string; pan_status: PanStatus };
}

export interface CallEnded {
  type: 'call_ended';
  reason: string;
}

export interface CustomerLeft {
  type: 'customer_left';
}

export interface PanResultMessage {
  type: 'pan_result';
  result: PanResult;
  /** the card as it was read: cut out, flat and upright */
  image_url: string;
  /** the whole picture the card was read from */
  original_url: string;
}

export type EmployeeServerMessage =
  | EmployeeWelcome
  | QueueMessage
  | QueueChangesMessage
  | EmployeePaired
  | IceServersMessage
  | CallEnded
  | CustomerLeft
  | PanResultMessage
  | PanConfirmed
  | PeerReconnecting
  | PeerReconnected
  | SignalMessage
  | PongMessage
  | ErrorMessage;

export type EmployeeClientMessage =
  | { type: 'pick'; customer_id: string }
  | SignalMessage
  | { type: 'leave' }
  | { type: 'queue_sync' }
  | { type: 'ping' };

/** Any JSON object with a string `type`: what every frame must be. */
export interface AnyMessage {
  type: string;
  [key: string]: unknown;
}

/** Parse one text frame; `null` when it is not a JSON object with a string `type`. */
export function parseFrame(text: unknown): AnyMessage | null {
  if (typeof text !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return null;
  return value as AnyMessage;
}

/** Browser candidate (camelCase) to the protocol's snake_case form. */
export function toWireCandidate(candidate: RTCIceCandidateInit): WireCandidate {
  return {
    candidate: candidate.candidate ?? '',
    sdp_mid: candidate.sdpMid ?? null,
    sdp_m_line_index: candidate.sdpMLineIndex ?? null,
  };
}

/** Protocol candidate back to what `RTCPeerConnection.addIceCandidate` takes. */
export function fromWireCandidate(candidate: WireCandidate): RTCIceCandidateInit {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdp_mid,
    sdpMLineIndex: candidate.sdp_m_line_index,
  };
}

/** Narrow relayed `signal.data`, which the server never inspects, to what our clients send. */
export function readSignalData(data: unknown): SignalData | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const desc = d.description as Record<string, unknown> | undefined;
  if (desc && (desc.type === 'offer' || desc.type === 'answer') && typeof desc.sdp === 'string') {
    return { description: { type: desc.type, sdp: desc.sdp } };
  }
  const cand = d.candidate as Record<string, unknown> | undefined;
  if (cand && typeof cand.candidate === 'string') {
    return {
      candidate: {
        candidate: cand.candidate,
        sdp_mid: typeof cand.sdp_mid === 'string' ? cand.sdp_mid : null,
        sdp_m_line_index: typeof cand.sdp_m_line_index === 'number' ? cand.sdp_m_line_index : null,
      },
    };
  }
  return null;
}
