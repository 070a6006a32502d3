/**
 * How one columns frame differs from the one before: columns added, removed, renamed (a column gone
 * and one new at its place, of its kind, as Postgres keeps a renamed column in place) and retyped.
 * Pure; the client puts it on its `columns` event.
 */
import type { ColumnInfo } from '@orders-live/protocol';

export interface ColumnsChange {
  readonly added: readonly ColumnInfo[];
  readonly removed: readonly ColumnInfo[];
  readonly renamed: readonly { readonly from: string; readonly to: ColumnInfo }[];
  /** Same name, another kind (or element kind), or nullability. */
  readonly retyped: readonly { readonly from: ColumnInfo; readonly to: ColumnInfo }[];
}

/** The change from `previous` (undefined: the first columns frame, which changes nothing) to `next`. */
export function columnsChange(previous: readonly ColumnInfo[] | undefined, next: readonly ColumnInfo[]): ColumnsChange {
  if (!previous) return { added: [], removed: [], renamed: [], retyped: [] };
  const before = new Map(previous.map((column) => [column.name, column]));
  const after = new Set(next.map((column) => column.name));
  const added: ColumnInfo[] = [];
  const renamed: { from: string; to: ColumnInfo }[] = [];
  const retyped: { from: ColumnInfo; to: ColumnInfo }[] = [];
  const renamedFrom = new Set<string>();
  next.forEach((column, index) => {
    const same = before.get(column.name);
    if (same) {
      if (same.kind !== column.kind || same.elementKind !== column.elementKind || same.nullable !== column.nullable)
        retyped.push({ from: same, to: column });
      return;
    }
    const inPlace = previous[index];
    if (inPlace && !after.has(inPlace.name) && inPlace.kind === column.kind) {
      renamed.push({ from: inPlace.name, to: column });
      renamedFrom.add(inPlace.name);
    } else added.push(column);
  });
  const removed = previous.filter((column) => !after.has(column.name) && !renamedFrom.has(column.name));
  return { added, removed, renamed, retyped };
}

/** Whether anything changed. */
export function isColumnsChange(change: ColumnsChange): boolean {
  return change.added.length + change.removed.length + change.renamed.length + change.retyped.length > 0;
}
