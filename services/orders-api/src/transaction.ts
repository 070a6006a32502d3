/**
 * Runs statements in one transaction on a connection of their own: COMMIT when `work` resolves,
 * ROLLBACK when it throws (a refusal thrown halfway, e.g. a 403, leaves the table as it was). A
 * connection whose ROLLBACK fails too is discarded rather than handed back to the pool.
 */
import type { Database, TransactionalDatabase } from './db.js';

export async function withTransaction<T>(db: TransactionalDatabase, work: (tx: Database) => Promise<T>): Promise<T> {
  const connection = await db.connect();
  let broken: Error | undefined;
  try {
    await connection.query('BEGIN');
    const result = await work(connection);
    await connection.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await connection.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    }
    throw err;
  } finally {
    connection.release(broken);
  }
}
