import type { QueueChange, QueueChangesMessage, QueueEntry } from '@support/shared';
import { describe, expect, it } from 'vitest';
import { applyQueueMessage, EMPTY_QUEUE, type LiveQueue } from './live-queue';

function entry(id: string, panStatus: QueueEntry['pan_status'] = 'none'): QueueEntry {
  return {
    customer_id: id,
    name: `Name ${id}`,
    waiting_since: '2026-11-24T09:15:02.123Z',
    pan_status: panStatus,
  };
}

function snapshot(seq: number, ids: string[]): LiveQueue {
  return applyQueueMessage(EMPTY_QUEUE, { type: 'queue', seq, customers: ids.map((id) => entry(id)) });
}

function changes(waiting: number, ...list: QueueChange[]): QueueChangesMessage {
  return { type: 'queue_changes', changes: list, waiting };
}

const ids = (queue: LiveQueue) => queue.customers?.map((c) => c.customer_id) ?? null;

describe('applyQueueMessage', () => {
  it('takes the snapshot whole', () => {
    const queue = snapshot(4, ['a', 'b']);
    expect(queue).toEqual({ customers: [entry('a'), entry('b')], seq: 4, stale: false });
  });

  it('ignores changes before the first snapshot', () => {
    const next = applyQueueMessage(
      EMPTY_QUEUE,
      changes(1, { seq: 1, op: 'added', position: 1, customer: entry('a') }),
    );
    expect(next).toBe(EMPTY_QUEUE);
  });

  it('adds at the back or the front, updates and removes, in order', () => {
    const queue = applyQueueMessage(
      snapshot(4, ['a', 'b']),
      changes(
        3,
        { seq: 5, op: 'added', position: 3, customer: entry('c') },
        { seq: 6, op: 'added', position: 1, customer: entry('d') },
        { seq: 7, op: 'updated', customer: entry('b', 'read') },
        { seq: 8, op: 'removed', customer_id: 'a' },
      ),
    );
    expect(ids(queue)).toEqual(['d', 'b', 'c']);
    expect(queue.customers?.[1]?.pan_status).toBe('read');
    expect(queue.seq).toBe(8);
    expect(queue.stale).toBe(false);
  });

  it('skips changes the snapshot already includes', () => {
    const queue = applyQueueMessage(
      snapshot(5, ['a', 'b']),
      changes(
        2,
        { seq: 5, op: 'added', position: 2, customer: entry('b') },
        { seq: 6, op: 'removed', customer_id: 'a' },
        {
          seq: 7,
          op: 'added',
          position: 2,
          customer: entry('c'),
        },
      ),
    );
    expect(ids(queue)).toEqual(['b', 'c']);
    expect(queue.seq).toBe(7);
  });

  it('turns stale at a missing change and ignores changes until a snapshot', () => {
    const before = snapshot(4, ['a']);
    const gap = applyQueueMessage(
      before,
      changes(2, { seq: 6, op: 'added', position: 2, customer: entry('b') }),
    );
    expect(gap).toEqual({ ...before, stale: true });
    const still = applyQueueMessage(
      gap,
      changes(3, { seq: 7, op: 'added', position: 3, customer: entry('c') }),
    );
    expect(still).toBe(gap);
    const fresh = applyQueueMessage(still, {
      type: 'queue',
      seq: 7,
      customers: [entry('a'), entry('b'), entry('c')],
    });
    expect(fresh.stale).toBe(false);
    expect(ids(fresh)).toEqual(['a', 'b', 'c']);
  });

  it('turns stale when a change does not fit or the count disagrees', () => {
    const queue = snapshot(1, ['a']);
    expect(applyQueueMessage(queue, changes(0, { seq: 2, op: 'removed', customer_id: 'zz' })).stale).toBe(
      true,
    );
    expect(
      applyQueueMessage(queue, changes(2, { seq: 2, op: 'added', position: 5, customer: entry('b') })).stale,
    ).toBe(true);
    expect(
      applyQueueMessage(queue, changes(7, { seq: 2, op: 'added', position: 2, customer: entry('b') })).stale,
    ).toBe(true);
  });

  it('never changes the arrays it was given', () => {
    const queue = snapshot(1, ['a', 'b']);
    const before = queue.customers?.slice();
    applyQueueMessage(queue, changes(1, { seq: 2, op: 'removed', customer_id: 'a' }));
    expect(queue.customers).toEqual(before);
  });

  it('rebuilds the queue from a snapshot taken at any point and the changes in any batches', () => {
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let round = 0; round < 20; round += 1) {
      const truth: QueueEntry[] = [];
      const history: { seq: number; queue: QueueEntry[] }[] = [{ seq: 0, queue: [] }];
      const all: QueueChange[] = [];
      let next = 0;
      for (let seq = 1; seq <= 120; seq += 1) {
        const roll = random();
        if (truth.length === 0 || roll < 0.45) {
          const customer = entry(`c${(next += 1)}`);
          const front = random() < 0.2;
          truth.splice(front ? 0 : truth.length, 0, customer);
          all.push({ seq, op: 'added', position: front ? 1 : truth.length, customer });
        } else if (roll < 0.85) {
          const [gone] = truth.splice(Math.floor(random() * truth.length), 1);
          all.push({ seq, op: 'removed', customer_id: gone!.customer_id });
        } else {
          const index = Math.floor(random() * truth.length);
          truth[index] = { ...truth[index]!, pan_status: 'confirmed' };
          all.push({ seq, op: 'updated', customer: truth[index]! });
        }
        history.push({ seq, queue: truth.slice() });
      }
      const at = history[Math.floor(random() * history.length)]!;
      let queue = applyQueueMessage(EMPTY_QUEUE, { type: 'queue', seq: at.seq, customers: at.queue });
      // the changes the client receives start somewhere before its snapshot (they overlap it)
      let start = Math.max(0, at.seq - Math.floor(random() * 5));
      while (start < all.length) {
        const end = Math.min(all.length, start + 1 + Math.floor(random() * 10));
        queue = applyQueueMessage(queue, changes(history[end]!.queue.length, ...all.slice(start, end)));
        start = end;
      }
      expect(queue.stale).toBe(false);
      expect(queue.customers).toEqual(truth);
      expect(queue.seq).toBe(120);
    }
  });
});
