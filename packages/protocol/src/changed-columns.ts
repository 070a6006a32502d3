/**
 * Which columns a change altered: the one comparison of wire values. The service makes it once per
 * change, over every column the table has (its view, table-view.ts), and that list is what table
 * frames, window diffs and the page use; diffWindows falls back to it only for rows it is given
 * without that list. Pure.
 */
import type { WireValue } from './columns.js';

/** Equal wire values: an array (a Postgres array column) compares by its elements, not its identity. */
export function sameWireValue(a: WireValue | undefined, b: WireValue | undefined): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b);
}

/** The columns among `names` whose value differs between the two rows, in the order of `names`. */
export function changedColumns(
  names: readonly string[],
  before: Readonly<Record<string, WireValue | undefined>>,
  after: Readonly<Record<string, WireValue | undefined>>,
): string[] {
  return names.filter((column) => !sameWireValue(before[column], after[column]));
}
