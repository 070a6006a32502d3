/**
 * The chaos writer: commits a random mix of inserts, updates and deletes on its own rows, including
 * multi-row transactions and long transactions that interleave with the others. Every update bumps
 * `quantity` by one (the row's version, see checker.ts) and may change the status (so filtered
 * clients see rows enter and leave). It keeps going through database outages: a failed transaction
 * is rolled back (or lost with the connection) and counted; its outcome is settled by the final
 * comparison with the database, not assumed.
 *
 * Two tables, in the same transactions: an order is inserted with 1-3 order_lines, an update may
 * bump a line's quantity (its version too) instead of the order's, and deleting an order deletes its
 * lines by ON DELETE CASCADE, in the order's transaction. So transactions that touch both topics are
 * the common case, as the simulator writes them.
 */
import pg from 'pg';
import { ORDER_STATUSES } from '@orders-live/protocol';
import { between, pick, type Random } from '@orders-live/testkit';
import { insertOrders } from '@orders-live/testkit/rows';

/** Pause between the writer's transactions, per worker. */
const TRANSACTION_PAUSE_MS: readonly [number, number] = [5, 60];
/** A long transaction stays open this long, while the others commit around it. */
const LONG_TRANSACTION_MS: readonly [number, number] = [300, 2_500];
/** Share of transactions that are long and interleaved. */
const LONG_SHARE = 0.08;
/** Share of transactions with several operations. */
const MULTI_SHARE = 0.3;
/** Rows the writer keeps around: inserts dominate below, deletes above. */
const TARGET_ROWS = 60;
/** After a failure (database down), wait before the next try. */
const RETRY_PAUSE_MS = 250;
/** Lines an inserted order gets: at least one, so every order has lines to update and to cascade. */
const LINES_PER_ORDER: readonly [number, number] = [1, 3];
/** Share of updates that bump one of the order's lines rather than the order itself. */
const LINE_UPDATE_SHARE = 0.4;

/** The tables the replicas serve beside orders (TABLES): the writer's second table. */
export const CHAOS_EXTRA_TABLES: readonly string[] = ['public.order_lines'];

interface WriterStats {
  /** Row changes of orders in transactions whose COMMIT succeeded. */
  committedChanges: number;
  /** Row changes of order_lines in those transactions: inserted with an order, updated, deleted by its cascade. */
  committedLineChanges: number;
  committedTransactions: number;
  /** Transactions that failed (database or connection gone); their outcome is whatever the database says. */
  failedTransactions: number;
  longTransactions: number;
}

export class ChaosWriter {
  readonly stats: WriterStats = {
    committedChanges: 0,
    committedLineChanges: 0,
    committedTransactions: 0,
    failedTransactions: 0,
    longTransactions: 0,
  };
  readonly #pool: pg.Pool;
  readonly #random: Random;
  readonly #tag: string;
  /** Row ids the writer believes exist, with how many lines each has (numbered 1..n); rows in an open transaction are reserved. */
  readonly #rows = new Map<number, number>();
  readonly #reserved = new Set<number>();
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(pool: pg.Pool, random: Random, tag: string) {
    this.#pool = pool;
    this.#random = random;
    this.#tag = tag;
  }

  start(workers = 2): void {
    this.#running = true;
    this.#workers = Array.from({ length: workers }, (_, i) => this.#work(i === 0));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
  }

  async #work(mayRunLong: boolean): Promise<void> {
    while (this.#running) {
      const long = mayRunLong && this.#random() < LONG_SHARE;
      try {
        await this.#transaction(long);
      } catch {
        this.stats.failedTransactions += 1;
        await sleep(RETRY_PAUSE_MS);
        await this.#refreshRows().catch(() => undefined);
      }
      await sleep(between(TRANSACTION_PAUSE_MS[0], TRANSACTION_PAUSE_MS[1], this.#random));
    }
  }

  /** Re-reads which rows exist: after a failed commit the writer cannot know. */
  async #refreshRows(): Promise<void> {
    const { rows } = await this.#pool.query<{ id: string; lines: string }>(
      `SELECT o.id, count(l.line_no) AS lines FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
       WHERE o.customer_name = $1 GROUP BY o.id`,
      [this.#tag],
    );
    this.#rows.clear();
    for (const row of rows) this.#rows.set(Number(row.id), Number(row.lines));
  }

  #freeRow(): number | undefined {
    const free = [...this.#rows.keys()].filter((id) => !this.#reserved.has(id));
    return free.length > 0 ? pick(free, this.#random) : undefined;
  }

  async #transaction(long: boolean): Promise<void> {
    const client = await this.#pool.connect();
    // A connection killed mid-transaction also emits 'error'; the failing query reports it.
    const ignore = () => undefined;
    client.on('error', ignore);
    const touched: number[] = [];
    let changes = 0;
    let lineChanges = 0;
    const inserted: [number, number][] = [];
    const deleted: number[] = [];
    let broken = false;
    try {
      await client.query('BEGIN');
      const operations = long ? 2 : this.#random() < MULTI_SHARE ? between(2, 5, this.#random) : 1;
      for (let i = 0; i < operations; i++) {
        if (long && i === 1) await sleep(between(LONG_TRANSACTION_MS[0], LONG_TRANSACTION_MS[1], this.#random));
        const roll = this.#random();
        const id = this.#freeRow();
        const deleteShare = this.#rows.size > TARGET_ROWS ? 0.35 : 0.1;
        if (id === undefined || roll < (this.#rows.size < TARGET_ROWS / 2 ? 0.5 : 0.2)) {
          const [row] = await insertOrders(client, [
            {
              customer_name: this.#tag,
              product_name: 'Chaos probe',
              status: pick(ORDER_STATUSES, this.#random),
              quantity: 1,
              amount: (between(100, 99_999, this.#random) / 100).toFixed(2),
            },
          ]);
          const lines = between(LINES_PER_ORDER[0], LINES_PER_ORDER[1], this.#random);
          for (let line = 1; line <= lines; line++)
            await client.query(
              'INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, $2, $3, 1, $4)',
              [row!.id, line, 'Chaos line', (between(1, 9_999, this.#random) / 100).toFixed(2)],
            );
          inserted.push([row!.id, lines]);
          lineChanges += lines;
          changes += 1;
        } else if (roll < 1 - deleteShare) {
          this.#reserved.add(id);
          touched.push(id);
          const lines = this.#rows.get(id) ?? 0;
          if (lines > 0 && this.#random() < LINE_UPDATE_SHARE) {
            await client.query('UPDATE order_lines SET quantity = quantity + 1 WHERE order_id = $1 AND line_no = $2', [
              id,
              between(1, lines, this.#random),
            ]);
            lineChanges += 1;
          } else {
            await client.query(`UPDATE orders SET quantity = quantity + 1, status = $2 WHERE id = $1`, [
              id,
              pick(ORDER_STATUSES, this.#random),
            ]);
            changes += 1;
          }
        } else {
          this.#reserved.add(id);
          touched.push(id);
          // Its lines go by the cascade, in this transaction.
          const { rowCount } = await client.query('DELETE FROM orders WHERE id = $1', [id]);
          deleted.push(id);
          if (rowCount) lineChanges += this.#rows.get(id) ?? 0;
          changes += 1;
        }
      }
      await client.query('COMMIT');
      this.stats.committedTransactions += 1;
      this.stats.committedChanges += changes;
      this.stats.committedLineChanges += lineChanges;
      if (long) this.stats.longTransactions += 1;
      for (const [id, lines] of inserted) this.#rows.set(id, lines);
      for (const id of deleted) this.#rows.delete(id);
    } catch (err) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      for (const id of touched) this.#reserved.delete(id);
      client.off('error', ignore);
      client.release(broken);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
