import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  closeVerdict,
  DEFAULT_RECONNECT_POLICY,
  reconnectDelay,
  ReconnectSchedule,
  type ReconnectPolicy,
} from './reconnect-policy';

const POLICY: ReconnectPolicy = { baseMs: 500, capMs: 10_000, giveUpAfterMs: 60_000, openTimeoutMs: 10_000 };

describe('reconnectDelay', () => {
  it('doubles its bound from the base up to the cap', () => {
    const atTop = () => 0.999_999;
    const bounds = [0, 1, 2, 3, 4, 5, 6, 30].map((n) => reconnectDelay(n, POLICY, atTop));
    expect(bounds).toEqual([499, 999, 1999, 3999, 7999, 9999, 9999, 9999]);
  });

  it('spreads delays over the whole range from zero to the bound (full jitter)', () => {
    expect(reconnectDelay(3, POLICY, () => 0)).toBe(0);
    expect(reconnectDelay(3, POLICY, () => 0.5)).toBe(2000);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const bound = Math.min(POLICY.capMs, POLICY.baseMs * 2 ** attempt);
      for (let i = 0; i < 200; i += 1) {
        const delay = reconnectDelay(attempt, POLICY);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(bound);
      }
    }
  });

  it('does not bunch sockets closed together: a thousand first retries after a restart spread out', () => {
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(0, POLICY));
    const perSlice = new Array<number>(10).fill(0);
    for (const delay of delays) {
      const slice = Math.floor(delay / 50);
      perSlice[slice] = (perSlice[slice] ?? 0) + 1;
    }
    // uniform over [0, 500 ms): every 50 ms slice gets about 100, none twice its share
    for (const count of perSlice) expect(count).toBeLessThan(200);
  });

  it('gives a waiting customer several tries within the 15 s their place is kept', () => {
    expect(DEFAULT_RECONNECT_POLICY.baseMs).toBe(500);
    expect(DEFAULT_RECONNECT_POLICY.capMs).toBeLessThanOrEqual(5_000);
    const worstCase = [0, 1, 2, 3, 4].map((n) =>
      reconnectDelay(n, DEFAULT_RECONNECT_POLICY, () => 0.999_999),
    );
    expect(worstCase.reduce((a, b) => a + b)).toBeLessThan(15_000);
    expect(DEFAULT_RECONNECT_POLICY.giveUpAfterMs).toBeGreaterThan(30_000);
  });
});

describe('closeVerdict', () => {
  it('retries after a server going away or restarting (1001, 1012) and after a drop (1006)', () => {
    for (const code of [1001, 1006, 1011, 1012, 1013, 4408]) expect(closeVerdict(code, false)).toBe('retry');
  });

  it('retries after a normal close that did not follow bye (an older server shutting down)', () => {
    expect(closeVerdict(1000, false)).toBe('retry');
  });

  it('stays closed after bye, whatever the code', () => {
    expect(closeVerdict(1000, true)).toBe('ended');
    expect(closeVerdict(1006, true)).toBe('ended');
  });

  it('does not retry when the server refused the socket: logged out, bad origin, replaced, too many', () => {
    for (const code of [4401, 4403, 4409, 4429]) {
      expect(closeVerdict(code, false)).toBe('refused');
      expect(closeVerdict(code, true)).toBe('refused');
    }
  });
});

describe('ReconnectSchedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Run one outage: wait out each delay and fail again, until the schedule gives up. */
  function outage(schedule: ReconnectSchedule, failAfterMs = 0): number[] {
    const delays: number[] = [];
    for (;;) {
      const delay = schedule.next();
      if (delay === null) return delays;
      delays.push(delay);
      vi.advanceTimersByTime(delay + failAfterMs);
    }
  }

  it('backs off attempt by attempt and gives up once the outage has lasted giveUpAfterMs', () => {
    const schedule = new ReconnectSchedule(POLICY, () => 0.999_999);
    const started = Date.now();
    const delays = outage(schedule);
    expect(delays.slice(0, 7)).toEqual([499, 999, 1999, 3999, 7999, 9999, 9999]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(POLICY.giveUpAfterMs);
    expect(elapsed).toBeLessThan(POLICY.giveUpAfterMs + POLICY.capMs);
  });

  it('counts time spent on attempts that hang, not only the delays', () => {
    const schedule = new ReconnectSchedule(POLICY, () => 0);
    const delays = outage(schedule, POLICY.openTimeoutMs);
    expect(delays).toHaveLength(6);
  });

  it('starts afresh after a socket opened', () => {
    const schedule = new ReconnectSchedule(POLICY, () => 0.999_999);
    outage(schedule);
    expect(schedule.next()).toBeNull();
    schedule.reset();
    expect(schedule.next()).toBe(499);
    expect(schedule.next()).toBe(999);
    schedule.reset();
    expect(schedule.next()).toBe(499);
  });
});
