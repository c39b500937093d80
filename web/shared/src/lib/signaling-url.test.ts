import { describe, expect, it } from 'vitest';
import { signalingUrl } from './signaling-url';

describe('signalingUrl', () => {
  it('uses the page host with ws: on http and wss: on https', () => {
    expect(signalingUrl('/ws/customer', {}, { protocol: 'http:', host: 'localhost:4173' })).toBe(
      'ws://localhost:4173/ws/customer',
    );
    expect(signalingUrl('/ws/employee', {}, { protocol: 'https:', host: 'desk.example.org' })).toBe(
      'wss://desk.example.org/ws/employee',
    );
  });

  it('lets VITE_SIGNALING_URL and VITE_SIGNALING_PATH point a build at another server', () => {
    const location = { protocol: 'http:', host: 'localhost' };
    expect(signalingUrl('/ws/customer', { VITE_SIGNALING_URL: 'https://desk.example.org/' }, location)).toBe(
      'wss://desk.example.org/ws/customer',
    );
    expect(
      signalingUrl(
        '/ws/customer',
        { VITE_SIGNALING_URL: 'wss://a.example', VITE_SIGNALING_PATH: 'sock' },
        location,
      ),
    ).toBe('wss://a.example/sock');
    expect(
      signalingUrl('/ws/customer', { VITE_SIGNALING_URL: 'wss://a.example/ws/customer' }, location),
    ).toBe('wss://a.example/ws/customer');
  });
});
