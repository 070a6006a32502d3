/**
 * How rows written under one set of columns read under the next, after a DDL. Postgres changes the
 * stored rows itself (a new column reads as its default, a retyped column is converted), but logs no
 * row change for it, so the topic says nothing about rows not written since: the view derives them
 * here, the same way on every replica, from the two schemas alone. Pure.
 *
 * For each column of the new set, in order of preference:
 *  - same name, and its old values read exactly under the new kind (same kind, or a widening such as
 *    int → bigint, varchar → text, int → decimal): kept, converted;
 *  - a rename: the old set had a column at the same position, of the same kind, whose name the new set
 *    lacks (Postgres keeps a renamed column in place, and appends an added one): kept;
 *  - a column the table gained: its constant default as the connector reports it, else null;
 *  - otherwise (old values not convertible exactly): null, and the column is listed as unknown.
 */
import type { Column, ColumnSet, WireValue } from './column-set.js';

type Source = { readonly from: string; readonly convert: (value: WireValue) => WireValue } | { readonly fill: WireValue };

interface MigrationPlan {
  readonly sources: ReadonlyMap<string, Source>;
  readonly unknownValues: readonly string[];
}

const keep = (value: WireValue) => value;

function conversion(from: Column, to: Column): ((value: WireValue) => WireValue) | undefined {
  if (from.kind === to.kind && from.elementKind === to.elementKind) return keep;
  const integer = from.kind === 'int' || from.kind === 'bigint';
  if (integer && (to.kind === 'int' || to.kind === 'bigint')) return keep;
  if (integer && to.kind === 'decimal') return (v) => (v === null ? null : String(v));
  if (integer && to.kind === 'text') return (v) => (v === null ? null : String(v));
  // These kinds' wire text is Postgres' own text of the value, which is what ::text gives.
  if (to.kind === 'text' && (from.kind === 'enum' || from.kind === 'uuid' || from.kind === 'decimal')) return keep;
  return undefined;
}

export function planMigration(previous: ColumnSet, next: ColumnSet): MigrationPlan {
  const before = new Map(previous.columns.map((c) => [c.name, c]));
  const after = new Set(next.columns.map((c) => c.name));
  const sources = new Map<string, Source>();
  const unknownValues: string[] = [];
  next.columns.forEach((column, index) => {
    const same = before.get(column.name);
    if (same) {
      const convert = conversion(same, column);
      if (convert) sources.set(column.name, { from: same.name, convert });
      else {
        sources.set(column.name, { fill: null });
        unknownValues.push(column.name);
      }
      return;
    }
    const inPlace = previous.columns[index];
    if (inPlace && !after.has(inPlace.name) && inPlace.kind === column.kind && inPlace.elementKind === column.elementKind) {
      sources.set(column.name, { from: inPlace.name, convert: keep });
      return;
    }
    sources.set(column.name, { fill: column.defaultValue ?? null });
  });
  return { sources, unknownValues };
}

export function migrateRow<Row extends Readonly<Record<string, WireValue>>>(row: Row, plan: MigrationPlan): Row {
  const out: Record<string, WireValue> = {};
  for (const [name, source] of plan.sources) {
    out[name] = 'fill' in source ? source.fill : source.convert(row[source.from] ?? null);
  }
  return out as Row;
}
