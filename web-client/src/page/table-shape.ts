/**
 * What the page says about the table's shape and the stream's health, from what the client was told
 * (the `columns` and `stream-status` frames). Pure: texts in, texts out; table-shape-view.ts shows them.
 */
import type { ColumnInfo, DegradedReport } from '@orders-live/protocol';

/** The line shown while the stream has a hole; undefined while it is whole. */
export function describeStreamProblem(report: DegradedReport | null): string | undefined {
  if (report === null) return undefined;
  const first = report.gaps[0];
  const count = report.openGaps === 1 ? '1 change' : `${report.openGaps} changes`;
  const where = first ? ` (first: ${first.row}, ${first.code} at ${first.partition}:${first.offset})` : '';
  return `Stream problem: ${count} could not be read${where}; the rows they were for may be stale until they are written again.`;
}

/** How the table's columns differ from the ones the page shows: added ones, and shown ones now gone. */
export function columnsDifference(columns: readonly ColumnInfo[], shown: readonly string[]): { readonly added: readonly ColumnInfo[]; readonly gone: readonly string[] } {
  const names = new Set(columns.map((column) => column.name));
  return { added: columns.filter((column) => !shown.includes(column.name)), gone: shown.filter((name) => !names.has(name)) };
}

/** The line about columns the page does not show (or shows but the table lost); undefined when they agree. */
export function describeColumns(columns: readonly ColumnInfo[] | undefined, shown: readonly string[]): string | undefined {
  if (!columns) return undefined;
  const { added, gone } = columnsDifference(columns, shown);
  const parts: string[] = [];
  if (added.length > 0) parts.push(`new columns: ${added.map((column) => `${column.name} (${column.kind})`).join(', ')}`);
  if (gone.length > 0) parts.push(`no longer in the table: ${gone.join(', ')}`);
  return parts.length > 0 ? `The table changed — ${parts.join('; ')}.` : undefined;
}
