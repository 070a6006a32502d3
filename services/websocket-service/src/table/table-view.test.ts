import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import type { OrderRow } from '@orders-live/protocol';
import { TableView } from './table-view.js';
import type { DecodedRecord, SourcePosition } from '../ingest/debezium/decoder.js';
import { LEGACY_COLUMNS } from '../ingest/debezium/legacy-columns.js';
import { columnSet } from './column-set.js';

const source: SourcePosition = { commitTimeMs: 1_000, lsn: 100, commitLsn: 90, txId: 7, snapshot: false };
const row = orderRow;
/** Each record gets the next LSN unless a test gives one (a replay repeats an earlier LSN). */
let nextLsn = 1_000;
const rowRecord = (
  op: 'read' | 'insert' | 'update' | 'delete',
  before: OrderRow | null,
  after: OrderRow | null,
  lsn = (nextLsn += 10),
): Extract<DecodedRecord, { kind: 'row' }> => ({
  kind: 'row',
  op,
  key: { id: (after ?? before)!.id },
  before,
  after,
  source: { ...source, lsn },
  transaction: null,
  columns: LEGACY_COLUMNS,
});
const at = (offset: number) => ({ partition: 0, offset: BigInt(offset) });

describe('TableView', () => {
  it('turns insert, update and delete into changes with cursors and changed columns', () => {
    const view = new TableView();
    expect(view.cursor).toBe('0:-1');
    const [inserted] = view.apply(rowRecord('insert', null, row(1), 5_000), at(0), 1_042);
    // commitTime from the event, kafkaTime from the record: the first two hops of docs/protocol.md.
    expect(inserted).toMatchObject({
      op: 'insert',
      key: { id: 1 },
      row: row(1),
      oldRow: null,
      cursor: '0:0',
      commitTime: 1_000,
      kafkaTime: 1_042,
      txId: 7,
      lsn: 5_000,
    });

    const [updated] = view.apply(rowRecord('update', row(1), row(1, { status: 'shipped', amount: '2.50' }), 5_100), at(1), 0);
    expect(updated).toMatchObject({ op: 'update', oldRow: row(1), changed: ['status', 'amount'], cursor: '0:1', lsn: 5_100 });
    expect(view.get(1)?.status).toBe('shipped');

    const [deleted] = view.apply(rowRecord('delete', row(1, { status: 'shipped' }), null, 5_200), at(2), 0);
    expect(deleted).toMatchObject({
      op: 'delete',
      row: null,
      oldRow: row(1, { status: 'shipped', amount: '2.50' }),
      cursor: '0:2',
      lsn: 5_200,
    });
    expect(view.size).toBe(0);
    expect(view.cursor).toBe('0:2');
  });

  it('treats a snapshot read as an insert, or an update of a row it already has', () => {
    const view = new TableView();
    expect(view.apply(rowRecord('read', null, row(1)), at(0), 0)[0]?.op).toBe('insert');
    expect(view.apply(rowRecord('read', null, row(1, { quantity: 5 })), at(1), 0)[0]).toMatchObject({
      op: 'update',
      changed: ['quantity'],
    });
  });

  it('ignores a record at or before its position, so a re-read shows nothing twice', () => {
    const view = new TableView();
    view.apply(rowRecord('insert', null, row(1)), at(5), 0);
    expect(view.apply(rowRecord('update', row(1), row(1, { quantity: 9 })), at(5), 0)).toEqual([]);
    expect(view.apply(rowRecord('update', row(1), row(1, { quantity: 9 })), at(4), 0)).toEqual([]);
    expect(view.get(1)?.quantity).toBe(1);
  });

  it('yields nothing for an event that changes nothing', () => {
    const view = new TableView();
    view.apply(rowRecord('insert', null, row(1)), at(0), 0);
    expect(view.apply(rowRecord('read', null, row(1)), at(1), 0)).toEqual([]);
  });

  it('drops Debezium replays (same LSNs at new offsets) after a Connect restart, without flicker', () => {
    const view = new TableView();
    const v1 = row(1, { status: 'shipped' });
    const v2 = row(1, { status: 'delivered' });
    view.apply(rowRecord('insert', null, row(1), 100), at(0), 0);
    view.apply(rowRecord('update', row(1), v1, 110), at(1), 0);
    view.apply(rowRecord('update', v1, v2, 120), at(2), 0);
    // Connect crashed before flushing offsets: it sends the two updates again, then a new one.
    expect(view.apply(rowRecord('update', row(1), v1, 110), at(3), 0)).toEqual([]);
    expect(view.apply(rowRecord('update', v1, v2, 120), at(4), 0)).toEqual([]);
    expect(view.get(1)).toEqual(v2);
    expect(view.duplicatesDropped).toBe(2);
    expect(view.apply(rowRecord('update', v2, row(1, { quantity: 2, status: 'delivered' }), 130), at(5), 0)).toHaveLength(1);
  });

  it('does not bring back a deleted row when its insert is replayed', () => {
    const view = new TableView();
    view.apply(rowRecord('insert', null, row(1), 100), at(0), 0);
    view.apply(rowRecord('delete', row(1), null, 110), at(1), 0);
    expect(view.apply(rowRecord('insert', null, row(1), 100), at(2), 0)).toEqual([]);
    expect(view.apply(rowRecord('delete', row(1), null, 110), at(3), 0)).toEqual([]);
    expect(view.size).toBe(0);
  });

  it('applies interleaved transactions whose LSNs go down across rows', () => {
    const view = new TableView();
    // Transaction B (row 2, lsn 210) commits before transaction A (row 1, lsn 200) that began first.
    expect(view.apply(rowRecord('insert', null, row(2), 210), at(0), 0)).toHaveLength(1);
    expect(view.apply(rowRecord('insert', null, row(1), 200), at(1), 0)).toHaveLength(1);
    expect(view.duplicatesDropped).toBe(0);
  });

  it('deletes on a tombstone whose delete was compacted away, dated by the record time', () => {
    const view = new TableView();
    view.apply(rowRecord('insert', null, row(3)), at(0), 0);
    expect(view.apply({ kind: 'tombstone', key: { id: 3 } }, at(1), 42)).toEqual([
      // A tombstone has no WAL position or transaction of its own.
      expect.objectContaining({ op: 'delete', key: { id: 3 }, commitTime: 42, txId: null, lsn: null }),
    ]);
    expect(view.apply({ kind: 'tombstone', key: { id: 3 } }, at(2), 43)).toEqual([]);
  });

  it('lists rows in primary-key order', () => {
    const view = new TableView();
    [3, 1, 2].forEach((id, i) => view.apply(rowRecord('insert', null, row(id)), at(i), 0));
    expect(view.rows().map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('follows a change of columns: rows it holds are rewritten, listeners hear it before the changes', () => {
    const view = new TableView();
    view.apply(rowRecord('insert', null, row(1)), at(1), 0);
    const widened = columnSet([
      ...LEGACY_COLUMNS.columns,
      { name: 'priority', kind: 'int', sourceType: 'INT4', nullable: false, defaultValue: 3 },
    ]);
    const heard: string[] = [];
    view.catalog.onChange((change) => heard.push(`${change.cursor} ${change.columns.columns.map((c) => c.name).join(',')}`));
    const after = { ...row(2), priority: 5 } as unknown as OrderRow;
    const changes = view.apply({ ...rowRecord('insert', null, after), columns: widened }, at(2), 0);
    expect(heard).toEqual([`0:2 ${[...LEGACY_COLUMNS.columns.map((c) => c.name), 'priority'].join(',')}`]);
    expect(view.get(1)).toMatchObject({ priority: 3 });
    expect(changes[0]?.changed).toContain('priority');
    // Back to the original columns: the added column goes from every row.
    view.apply(rowRecord('update', row(1), row(1, { quantity: 9 })), at(3), 0);
    expect(Object.keys(view.get(2)!)).toEqual(LEGACY_COLUMNS.columns.map((c) => c.name));
  });
});
