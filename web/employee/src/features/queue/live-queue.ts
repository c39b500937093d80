import type { QueueChange, QueueChangesMessage, QueueEntry, QueueMessage } from '@support/shared';

/**
 * The queue as the server described it: a `queue` snapshot, then the numbered changes of
 * `queue_changes` (docs/protocol.md). When a change is missing or does not fit, the queue is
 * `stale`: the desk asks for a new snapshot (`queue_sync`) and ignores changes until it comes.
 */
export interface LiveQueue {
  /** Everyone waiting, front first; null until the first snapshot. */
  customers: QueueEntry[] | null;
  /** Number of the last change applied; null until the first snapshot. */
  seq: number | null;
  stale: boolean;
}

export const EMPTY_QUEUE: LiveQueue = { customers: null, seq: null, stale: false };

/** Apply a snapshot or a batch of changes. */
export function applyQueueMessage(queue: LiveQueue, message: QueueMessage | QueueChangesMessage): LiveQueue {
  if (message.type === 'queue') {
    return { customers: message.customers, seq: message.seq, stale: false };
  }
  if (queue.customers === null || queue.seq === null || queue.stale) {
    return queue; // the snapshot on its way includes these changes
  }
  const customers = [...queue.customers]; // one copy per message, changed in place
  let seq = queue.seq;
  for (const change of message.changes) {
    if (change.seq <= seq) continue; // already in the snapshot
    if (change.seq !== seq + 1 || !applyChange(customers, change)) return { ...queue, stale: true };
    seq = change.seq;
  }
  // `waiting` counts the queue after the last change: comparable unless the snapshot is newer
  const last = message.changes.at(-1);
  if (last !== undefined && last.seq === seq && customers.length !== message.waiting) {
    return { ...queue, stale: true };
  }
  return { customers, seq, stale: false };
}

/** Apply one change to `customers` in place; false when it does not fit them. */
function applyChange(customers: QueueEntry[], change: QueueChange): boolean {
  if (change.op === 'added') {
    const index = change.position - 1;
    if (index < 0 || index > customers.length) return false;
    customers.splice(index, 0, change.customer);
    return true;
  }
  const id = change.op === 'removed' ? change.customer_id : change.customer.customer_id;
  const index = customers.findIndex((c) => c.customer_id === id);
  if (index < 0) return false;
  if (change.op === 'removed') customers.splice(index, 1);
  else customers[index] = change.customer;
  return true;
}
