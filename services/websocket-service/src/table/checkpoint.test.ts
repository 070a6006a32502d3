import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import type { OrderRow } from '@orders-live/protocol';
import type { DecodedRecord } from '../ingest/debezium/decoder.js';
import { LEGACY_COLUMNS } from '../ingest/debezium/legacy-columns.js';
import { ChangeRing } from '../stream/ring.js';
import { columnSet, type ColumnSet } from './column-set.js';
import { TableView } from './table-view.js';
import {
  CHECKPOINT_INVALID,
  CHECKPOINT_MAGIC,
  checkpointMismatch,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointState,
  type TopicFacts,
} from './checkpoint.js';

const at = (offset: number) => ({ partition: 0, offset: BigInt(offset) });
const rowRecord = (
  before: OrderRow | null,
  after: OrderRow | null,
  lsn: number,
  columns: ColumnSet = LEGACY_COLUMNS,
): Extract<DecodedRecord, { kind: 'row' }> => ({
  kind: 'row',
  op: after === null ? 'delete' : before === null ? 'insert' : 'update',
  key: { id: (after ?? before)!.id },
  before,
  after,
  source: { commitTimeMs: 1_000, lsn, commitLsn: lsn, txId: 7, snapshot: false },
  transaction: null,
  columns,
});

const widened = columnSet([
  ...LEGACY_COLUMNS.columns,
  { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true },
  { name: 'tags', kind: 'array', elementKind: 'text', sourceType: '_TEXT', nullable: true },
]);

/** A view with live rows, a deleted row, a column added by a DDL, and odd values (null, arrays, unicode). */
function builtView(): TableView {
  const view = new TableView();
  view.apply(rowRecord(null, orderRow(1), 100), at(0), 0);
  view.apply(rowRecord(null, orderRow(2), 110), at(1), 0);
  view.apply(rowRecord(orderRow(2), null, 120), at(2), 0);
  view.apply(rowRecord(null, { ...orderRow(3), note: 'ünïcode ✓', tags: ['a', 'b'] } as OrderRow, 130, widened), at(3), 0);
  view.apply(rowRecord(null, { ...orderRow(4), note: null, tags: null } as OrderRow, 140, widened), at(4), 0);
  return view;
}

function stateOf(view: TableView, rowsPerFrame?: number): { state: CheckpointState; bytes: Buffer } {
  const state: CheckpointState = {
    ...view.checkpointState(),
    topic: 'orders.public.orders',
    clusterId: 'cluster-a',
    partitionCount: 1,
    offsets: new Map([[0, 5n]]),
    takenAt: 1_700_000_000_000,
    // An open gap: a record for row 7 that did not decode, its row not written since.
    openGaps: {
      gaps: [{ identity: 'id=7', partition: 0, offset: '3', code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', row: 'id=7', at: 1 }],
      forgotten: 2,
    },
  };
  return { state, bytes: Buffer.concat([...encodeCheckpoint(state, rowsPerFrame)]) };
}

const facts = (over: Partial<TopicFacts> = {}): TopicFacts => ({
  topic: 'orders.public.orders',
  clusterId: 'cluster-a',
  partitions: [{ partition: 0, low: 0n, high: 9n }],
  ...over,
});

describe('checkpoint encode/decode', () => {
  it('round-trips the view: rows, columns, position and dedupe state, over several frames', () => {
    const view = builtView();
    const { state, bytes } = stateOf(view, 1);
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.state).toEqual(state);

    const restored = new TableView();
    const heard: string[] = [];
    restored.catalog.onChange((change) => heard.push(change.cursor));
    restored.restore(decoded.state);
    expect(restored.rows()).toEqual(view.rows());
    expect(restored.cursor).toBe(view.cursor);
    expect(restored.catalog.columns.fingerprint).toBe(widened.fingerprint);
    expect(restored.catalog.cursor).toBe(view.catalog.cursor);
    expect(heard).toEqual(['0:3']);
    expect(restored.checkpointState()).toEqual(view.checkpointState());
  });

  it('keeps dedupe across the restart: a replayed event of a live or a deleted row is dropped, a newer one applied', () => {
    const { bytes } = stateOf(builtView());
    const decoded = decodeCheckpoint(bytes);
    if (!decoded.ok) throw new Error(decoded.reason);
    const view = new TableView();
    view.restore(decoded.state);
    // Debezium replays row 1's insert and row 2's insert and delete at new offsets after the checkpoint.
    expect(view.apply(rowRecord(null, orderRow(1), 100, widened), at(5), 0)).toEqual([]);
    expect(view.apply(rowRecord(null, orderRow(2), 110, widened), at(6), 0)).toEqual([]);
    expect(view.apply(rowRecord(orderRow(2), null, 120, widened), at(7), 0)).toEqual([]);
    expect(view.duplicatesDropped).toBe(3);
    expect(view.get(2)).toBeUndefined();
    // A record at or before the checkpoint's position is already in the view.
    expect(view.apply(rowRecord(orderRow(1), orderRow(1, { quantity: 9 }), 500, widened), at(4), 0)).toEqual([]);
    const updated = { ...orderRow(1, { quantity: 9 }), note: null, tags: null } as OrderRow;
    const [change] = view.apply(rowRecord(orderRow(1), updated, 500, widened), at(8), 0);
    expect(change).toMatchObject({ op: 'update', changed: ['quantity'], cursor: '0:8' });
  });

  it('an empty view round-trips', () => {
    const decoded = decodeCheckpoint(stateOf(new TableView()).bytes);
    expect(decoded.ok && decoded.state.rows).toEqual([]);
  });

  it('discards a file that is not a checkpoint, truncated, altered or of another version as CHECKPOINT_INVALID', () => {
    const { bytes } = stateOf(builtView(), 2);
    expect(decodeCheckpoint(Buffer.from('hello'))).toMatchObject({ ok: false, code: CHECKPOINT_INVALID });
    expect(decodeCheckpoint(bytes.subarray(0, bytes.length - 3))).toMatchObject({ ok: false, code: CHECKPOINT_INVALID });
    expect(decodeCheckpoint(Buffer.concat([bytes, Buffer.from([0])]))).toMatchObject({ ok: false, code: CHECKPOINT_INVALID });
    for (const offset of [CHECKPOINT_MAGIC.length + 20, Math.floor(bytes.length / 2), bytes.length - 2]) {
      const tampered = Buffer.from(bytes);
      tampered[offset] = tampered[offset]! ^ 0xff;
      const decoded = decodeCheckpoint(tampered);
      expect(decoded).toMatchObject({ ok: false, code: CHECKPOINT_INVALID });
    }
    const { state } = stateOf(builtView());
    const frames = [...encodeCheckpoint(state)];
    // Another version's header, correctly framed: refused by version, not misread.
    const other = frames.map((frame, i) => (i === 1 ? reframe(frame, (h) => ({ ...h, version: 99 })) : frame));
    expect(decodeCheckpoint(Buffer.concat(other))).toMatchObject({
      ok: false,
      code: CHECKPOINT_INVALID,
      reason: expect.stringContaining('99'),
    });
  });
});

/** Re-encodes a header frame with a change, as a file of another format version would hold it. */
function reframe(frame: Buffer, change: (header: Record<string, unknown>) => Record<string, unknown>): Buffer {
  // Frame: [u32 length][u32 crc32][v8 body].
  const body = serialize(change(deserialize(frame.subarray(8)) as Record<string, unknown>));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([head, body]);
}

describe('checkpointMismatch', () => {
  const state = { topic: 'orders.public.orders', clusterId: 'cluster-a', partitionCount: 1, offsets: new Map([[0, 5n]]) };

  it('accepts a checkpoint inside the log, at its end or at its start', () => {
    expect(checkpointMismatch(state, facts())).toBeNull();
    expect(checkpointMismatch(state, facts({ partitions: [{ partition: 0, low: 0n, high: 5n }] }))).toBeNull();
    expect(checkpointMismatch(state, facts({ partitions: [{ partition: 0, low: 5n, high: 7n }] }))).toBeNull();
  });

  it('refuses another topic, another cluster, other partitions, or offsets outside the log', () => {
    expect(checkpointMismatch(state, facts({ topic: 'other.public.orders' }))).toMatch(/topic/);
    expect(checkpointMismatch(state, facts({ clusterId: 'cluster-b' }))).toMatch(/cluster/);
    expect(
      checkpointMismatch(
        state,
        facts({
          partitions: [
            { partition: 0, low: 0n, high: 9n },
            { partition: 1, low: 0n, high: 9n },
          ],
        }),
      ),
    ).toMatch(/partitions/);
    // Recreated and smaller than the checkpoint's position.
    expect(checkpointMismatch(state, facts({ partitions: [{ partition: 0, low: 0n, high: 4n }] }))).toMatch(/past the topic's end/);
    // Records after the checkpoint deleted by retention.
    expect(checkpointMismatch(state, facts({ partitions: [{ partition: 0, low: 6n, high: 9n }] }))).toMatch(/before the log's start/);
  });
});

describe('a ring after a checkpoint start', () => {
  it('is empty and resets a cursor older than the checkpoint, replays one at or after it', () => {
    const ring = new ChangeRing(10);
    ring.startAfter(at(4));
    expect(ring.size).toBe(0);
    expect(ring.since(at(3))).toBeUndefined();
    expect(ring.since(at(4))).toEqual([]);
  });
});
