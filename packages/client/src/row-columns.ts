/**
 * The columns a subscription's rows must have: the last `columns` frame's, or the table as created
 * (ORDERS_COLUMNS) until one came. Every row a frame brings is checked against them before the state
 * takes it (rowProblem in the protocol package): a row that does not fit is refused with a code, so
 * what the client holds always has the columns it announced. Pure.
 */
import { ORDERS_COLUMNS, rowProblem, type ColumnInfo, type LiveRow } from '@orders-live/protocol';
import { INVALID_FRAME_CODES, invalid, type CommonOutcome } from './common-outcome.js';

export class RowColumns {
  #columns: readonly ColumnInfo[] = ORDERS_COLUMNS;
  #announced = false;

  /** The last columns frame's columns; undefined before one came. */
  get announced(): readonly ColumnInfo[] | undefined {
    return this.#announced ? this.#columns : undefined;
  }

  set(columns: readonly ColumnInfo[]): void {
    this.#columns = columns;
    this.#announced = true;
  }

  /** The first row that does not fit, as an invalid outcome (`what`: the frame, for the reason); undefined when all fit. */
  check(what: string, rows: Iterable<LiveRow | null>): (CommonOutcome & { kind: 'invalid' }) | undefined {
    for (const row of rows) {
      if (row === null) continue;
      const problem = rowProblem(row, this.#columns);
      if (problem)
        return invalid(
          `${what}: ${problem.message}`,
          problem.kind === 'value' ? INVALID_FRAME_CODES.VALUE_KIND : INVALID_FRAME_CODES.ROW_COLUMNS,
        );
    }
    return undefined;
  }
}
