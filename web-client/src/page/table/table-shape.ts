/**
 * What the page says about the table's shape and the stream's health, from what the client was told
 * (the `columns` events and `stream-status` frames). Pure: texts in, texts out; table-shape-view.ts shows them.
 */
import type { ColumnsChange } from '@orders-live/client';
import type { DegradedReport } from '@orders-live/protocol';

/** The line shown while the stream has a hole; undefined while it is whole. */
export function describeStreamProblem(report: DegradedReport | null): string | undefined {
  if (report === null) return undefined;
  const first = report.gaps[0];
  const count = report.openGaps === 1 ? '1 change' : `${report.openGaps} changes`;
  const where = first ? ` (first: ${first.row}, ${first.code} at ${first.partition}:${first.offset})` : '';
  return `Stream problem: ${count} could not be read${where}; the rows they were for may be stale until they are written again.`;
}

/**
 * The line about the table's last schema change, which the table itself follows (a new column shows,
 * a dropped one goes): what was added, removed, renamed or retyped. Undefined when nothing changed
 * (the first columns frame, or one that only repeats the columns).
 */
export function describeColumnsChange(change: ColumnsChange): string | undefined {
  const parts: string[] = [];
  if (change.added.length > 0) parts.push(`added ${change.added.map((column) => `${column.name} (${column.kind})`).join(', ')}`);
  if (change.removed.length > 0) parts.push(`removed ${change.removed.map((column) => column.name).join(', ')}`);
  if (change.renamed.length > 0) parts.push(`renamed ${change.renamed.map(({ from, to }) => `${from} → ${to.name}`).join(', ')}`);
  if (change.retyped.length > 0)
    parts.push(
      `changed ${change.retyped.map(({ from, to }) => `${to.name} (${from.kind}${from.nullable ? '' : ' not null'} → ${to.kind}${to.nullable ? '' : ' not null'})`).join(', ')}`,
    );
  return parts.length > 0 ? `The table changed: ${parts.join('; ')}.` : undefined;
}
