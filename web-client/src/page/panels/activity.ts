/**
 * One activity-log entry per transaction shown: what it did (counted whole, from the diff frames'
 * summary: "100,000 new" for a 100,000-row insert, however few rows are on screen; from the steps
 * only when a frame lacks it), which orders in view (each a
 * link to its row), where the time went (commit → Kafka → service → screen, or "replay"), and the raw
 * change for a reader who wants what Kafka UI would show. Pure: the time it was shown is passed in.
 */
import type { WindowEvent } from '@orders-live/client';
import {
  DEFAULT_TABLE,
  formatLsn,
  parseCursor,
  type LiveRow,
  type RowId,
  type TransactionSummary,
  type WindowOp,
} from '@orders-live/protocol';
import type { Hops } from '../live/hops.js';
import { exactText } from '../table/cell-text.js';
import type { RowIdentity } from '../tables/row-identity.js';

/** The log keeps the newest 100 entries: a few minutes to look back, few elements on the page. */
export const MAX_ACTIVITY_ENTRIES = 100;
/** Rows linked from one entry; a bigger transaction says "and N more". */
const MAX_LINKED_ORDERS = 5;

type EntryKind = 'insert' | 'update' | 'delete' | 'leave' | 'transaction';

export interface ActivityEntry {
  readonly kind: EntryKind;
  readonly txId: number | null;
  /** Rows it touched in view (the first MAX_LINKED_ORDERS), by id under the table's key; `changes`: rows it changed in all (the summary's, when the frames carry one). */
  readonly ids: readonly RowId[];
  /** Each of `ids` as a reader names the row ("12", "12/3"). */
  readonly labels: readonly string[];
  readonly changes: number;
  /** What happened, in a few words ("status pending → shipped", "3 new · 2 changed"). */
  readonly summary: string;
  readonly shownAt: number;
  readonly hops: Hops;
  /** The raw change, opened on request (built only then: a 1,000-op diff is big). */
  readonly raw: () => RawChange;
}

interface RawChange {
  readonly txId: number | null;
  /** The Kafka partition and offset of the transaction's last record (the diff's cursor). */
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  /** The WAL position of the transaction's last change shown, as Postgres prints it (`0/16B3748`). */
  readonly lsn: string | undefined;
  readonly commitTime: number | undefined;
  readonly kafkaTime: number | undefined;
  readonly sentAt: number | undefined;
  /** Each step with the row before (as this page held it) and after. */
  readonly ops: readonly {
    readonly op: WindowOp['op'];
    readonly id: RowId;
    readonly reason?: string;
    /** The step's change's WAL position (`0/16B3748`); absent on a step the window's edge made. */
    readonly lsn?: string;
    readonly before: LiveRow | null;
    readonly after: LiveRow | null;
  }[];
}

const QUIET_COLUMNS: ReadonlySet<string> = new Set(['updated_at']);

/** One diff frame and the window it applied to. */
export interface DiffPart {
  readonly event: WindowEvent;
  readonly before: WindowEvent | undefined;
}

/**
 * The entry of a transaction: its diff frames (one, or consecutive frames with the same txId when the
 * service could not send it whole; docs/protocol.md), the hops of the last. undefined when no frame
 * had steps (only totals moved: nothing to read in the log).
 */
export function activityEntry(parts: readonly DiffPart[], hops: Hops, shownAt: number, identity: RowIdentity): ActivityEntry | undefined {
  const rowId = (row: LiveRow) => identity.idOf(row);
  const all = parts.flatMap(({ event, before }) => {
    const previous = new Map<RowId, LiveRow>((before?.rows ?? []).map((row) => [rowId(row), row]));
    return (event.ops ?? []).map((op) => ({ op, previous }));
  });
  // A row pushed past the window's edge by others is an artifact of the window, not news (the raw change keeps it).
  const steps = all.filter(({ op }) => !(op.op === 'leave' && op.reason === 'moved'));
  if (steps.length === 0) return undefined;
  const last = parts[parts.length - 1]!.event;
  const idOf = (op: WindowOp) => (op.op === 'leave' ? op.key.id : rowId(op.row));
  const ids = [...new Set(steps.map(({ op }) => idOf(op)))];
  const kinds = steps.map(({ op, previous }) => kindOf(op, previous, rowId));
  const describeRow = identity.table === DEFAULT_TABLE ? describeOrder : (row: LiveRow) => describeOther(row, identity.key);
  const whole = wholeSummary(parts);
  const changes = whole ? whole.inserted + whole.updated + whole.deleted : ids.length;
  const single = steps.length === 1 && changes === 1;
  const kind: EntryKind = single ? kinds[0]! : 'transaction';
  return {
    kind,
    txId: last.txId ?? null,
    ids: ids.slice(0, MAX_LINKED_ORDERS),
    labels: ids.slice(0, MAX_LINKED_ORDERS).map((id) => identity.label(id)),
    changes,
    summary: single
      ? describeOne(steps[0]!.op, steps[0]!.previous, rowId, describeRow)
      : whole
        ? describeSummary(whole)
        : describeMany(kinds),
    shownAt,
    hops,
    raw: () => {
      const at = parseCursor(last.cursor);
      const lastLsn = all.reduce<number | undefined>((found, { op }) => op.lsn ?? found, undefined);
      return {
        txId: last.txId ?? null,
        partition: at ? at.partition : undefined,
        offset: at ? String(at.offset) : undefined,
        lsn: lastLsn === undefined ? undefined : formatLsn(lastLsn),
        commitTime: last.commitTime,
        kafkaTime: last.kafkaTime,
        sentAt: last.sentAt,
        ops: all.map(({ op, previous }) => ({
          op: op.op,
          id: idOf(op),
          ...(op.op === 'leave' && op.reason ? { reason: op.reason } : {}),
          ...(op.lsn === undefined ? {} : { lsn: formatLsn(op.lsn) }),
          before: previous.get(idOf(op)) ?? null,
          after: op.op === 'leave' ? null : op.row,
        })),
      };
    },
  };
}

function kindOf(op: WindowOp, previous: ReadonlyMap<RowId, LiveRow>, rowId: (row: LiveRow) => RowId): Exclude<EntryKind, 'transaction'> {
  switch (op.op) {
    case 'enter':
      return previous.has(rowId(op.row)) ? 'update' : 'insert';
    case 'change':
    case 'move':
      return 'update';
    case 'leave':
      return op.reason === 'deleted' ? 'delete' : 'leave';
  }
}

function describeOne(
  op: WindowOp,
  previous: ReadonlyMap<RowId, LiveRow>,
  rowId: (row: LiveRow) => RowId,
  describeRow: (row: LiveRow) => string,
): string {
  switch (op.op) {
    case 'leave': {
      const row = previous.get(op.key.id);
      const what = op.reason === 'deleted' ? 'deleted' : op.reason === 'filtered' ? 'no longer matches this view' : 'moved out of view';
      return row ? `${what} · ${describeRow(row)}` : what;
    }
    case 'enter': {
      const old = previous.get(rowId(op.row));
      return old ? describeChanges(old, op.row) : `new · ${describeRow(op.row)}`;
    }
    case 'change':
    case 'move': {
      const old = previous.get(rowId(op.row));
      return old ? describeChanges(old, op.row, op.changed) || 'no visible change' : describeRow(op.row);
    }
  }
}

/** The transaction's summary, its parts' added; undefined when a frame lacks one (counted from the steps then). */
function wholeSummary(parts: readonly DiffPart[]): TransactionSummary | undefined {
  let whole = { inserted: 0, updated: 0, deleted: 0 };
  for (const { event } of parts) {
    const summary = event.summary;
    if (!summary) return undefined;
    whole = {
      inserted: whole.inserted + summary.inserted,
      updated: whole.updated + summary.updated,
      deleted: whole.deleted + summary.deleted,
    };
  }
  return whole;
}

function describeSummary(summary: TransactionSummary): string {
  const parts: [number, string][] = [
    [summary.inserted, 'new'],
    [summary.updated, 'changed'],
    [summary.deleted, 'deleted'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, word]) => `${count.toLocaleString('en-US')} ${word}`)
    .join(' · ');
}

function describeMany(kinds: readonly EntryKind[]): string {
  const counts = new Map<EntryKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const words: Record<Exclude<EntryKind, 'transaction'>, string> = {
    insert: 'new',
    update: 'changed',
    delete: 'deleted',
    leave: 'left the view',
  };
  return (['insert', 'update', 'delete', 'leave'] as const)
    .filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${words[kind]}`)
    .join(' · ');
}

function describeOrder(row: LiveRow): string {
  const text = (column: string) => exactText(row[column]) ?? '?';
  return `${text('customer_name')}, ${text('quantity')} × ${text('product_name')} · ${text('amount')} · ${text('status')}`;
}

/** Columns of a row another table's entry names: enough to know it at a glance. */
const DESCRIBED_COLUMNS = 3;

/** A row of a table other than orders: its first few columns outside the key ("Ada · ada@example.com · pro"). */
function describeOther(row: LiveRow, key: readonly string[]): string {
  return Object.keys(row)
    .filter((column) => !key.includes(column))
    .slice(0, DESCRIBED_COLUMNS)
    .map((column) => exactText(row[column]) ?? '?')
    .join(' · ');
}

/**
 * `changed`: the columns the service says the transaction changed (a change, or a move of a changed
 * row: one home for that, the service's); compared here only for a step that has no such list (a row
 * that entered the window again).
 */
function describeChanges(before: LiveRow, after: LiveRow, changed?: readonly string[]): string {
  const columns = changed ?? Object.keys(after).filter((column) => exactText(before[column]) !== exactText(after[column]));
  return columns
    .filter((column) => !QUIET_COLUMNS.has(column))
    .map((column) => `${column} ${exactText(before[column]) ?? '(new)'} → ${exactText(after[column]) ?? ''}`)
    .join(', ');
}
