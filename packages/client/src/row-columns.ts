/**
 * The columns a subscription's rows must have: the last `columns` frame's, or the table as created
 * (ORDERS_COLUMNS) until one came. Every row a frame brings is checked against them before the state
 * takes it (rowProblem in the protocol package): a row that does not fit is refused with a code, so
 * what the client holds always has the columns it announced. Pure.
 */
import { ORDERS_COLUMNS, rowIdFunction, rowProblem, type ColumnInfo, type LiveRow, type RowId } from '@orders-live/protocol';

/** Orders' key, which a row is identified by until a columns frame names the table's. */
const ORDERS_KEY: readonly string[] = ['id'];
import { INVALID_FRAME_CODES, invalid, type CommonOutcome } from './common-outcome.js';

export class RowColumns {
  #columns: readonly ColumnInfo[] = ORDERS_COLUMNS;
  #announced = false;
  #key: readonly string[] = ORDERS_KEY;
  #idOf = rowIdFunction(ORDERS_KEY);

  /** The last columns frame's columns; undefined before one came. */
  get announced(): readonly ColumnInfo[] | undefined {
    return this.#announced ? this.#columns : undefined;
  }

  /** The table's primary-key columns (the last columns frame's). */
  get key(): readonly string[] {
    return this.#key;
  }

  /** A row's id under the table's key (row-id.ts); a row key ({column: value}) has one too. */
  idOf(row: LiveRow): RowId {
    return this.#idOf(row);
  }

  set(columns: readonly ColumnInfo[], key: readonly string[]): void {
    this.#columns = columns;
    this.#announced = true;
    if (key.join('\u0000') !== this.#key.join('\u0000')) {
      this.#key = key;
      this.#idOf = rowIdFunction(key);
    }
  }

  /** The first row that does not fit, as an invalid outcome (`what`: the frame, for the reason); undefined when all fit. */
  check(what: string, rows: Iterable<LiveRow | null>): (CommonOutcome & { kind: 'invalid' }) | undefined {
    for (const row of rows) {
      if (row === null) continue;
      const problem = rowProblem(row, this.#columns, this.#idOf(row));
      if (problem)
        return invalid(
          `${what}: ${problem.message}`,
          problem.kind === 'value' ? INVALID_FRAME_CODES.VALUE_KIND : INVALID_FRAME_CODES.ROW_COLUMNS,
        );
    }
    return undefined;
  }
}
