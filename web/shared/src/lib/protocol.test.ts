import { describe, expect, it } from 'vitest';
import { fromWireCandidate, parseFrame, readSignalData, toWireCandidate } from './protocol';

describe('protocol helpers', () => {
  it('translates a browser candidate to snake_case and back without loss', () => {
    const init = { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    const wire = toWireCandidate(init);
    expect(wire).toEqual({ candidate: init.candidate, sdp_mid: '0', sdp_m_line_index: 0 });
    expect(fromWireCandidate(wire)).toEqual(init);
  });

  it('ignores frames that are not JSON objects with a string type', () => {
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('[1,2]')).toBeNull();
    expect(parseFrame('{"kind":"x"}')).toBeNull();
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
  });

  it('reads offers, answers and candidates from relayed signal data and rejects anything else', () => {
    expect(readSignalData({ description: { type: 'offer', sdp: 'v=0' } })).toEqual({
      description: { type: 'offer', sdp: 'v=0' },
    });
    expect(readSignalData({ candidate: { candidate: 'c', sdp_mid: 'a', sdp_m_line_index: 1 } })).toEqual({
      candidate: { candidate: 'c', sdp_mid: 'a', sdp_m_line_index: 1 },
    });
    expect(readSignalData({ description: { type: 'pranswer', sdp: 'x' } })).toBeNull();
    expect(readSignalData('offer')).toBeNull();
  });
});
