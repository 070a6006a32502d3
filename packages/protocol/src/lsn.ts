/**
 * A Postgres WAL position (LSN). On the wire it is the number Debezium gives (source.lsn: the byte
 * position in the WAL); people read it as Postgres prints a pg_lsn — `X/Y`, the high and low 32 bits
 * in upper-case hex (`0/16B3748`), what pg_current_wal_lsn() and pg_replication_slots show. Pure.
 */
import * as z from 'zod';

/** 2^32: a pg_lsn's text form splits the 64-bit position into two 32-bit halves. */
const HALF = 0x1_0000_0000;

/** A WAL position as a JSON number: exact up to 2^53 bytes of WAL (8 PiB), past which the service rejects it. */
export const lsnSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** `0/16B3748`: the LSN as Postgres prints it (pg_lsn's text form). */
export function formatLsn(lsn: number): string {
  const high = Math.floor(lsn / HALF);
  const low = lsn % HALF;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** The LSN of pg_lsn's text form (`0/16B3748`, either case); undefined when it is not one or exceeds 2^53. */
export function parseLsn(text: string): number | undefined {
  const match = /^([0-9a-f]{1,8})\/([0-9a-f]{1,8})$/i.exec(text);
  if (!match) return undefined;
  const lsn = parseInt(match[1]!, 16) * HALF + parseInt(match[2]!, 16);
  return Number.isSafeInteger(lsn) ? lsn : undefined;
}
