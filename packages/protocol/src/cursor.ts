/**
 * Cursors: where a frame sits in the change log. Derived from the Kafka position of the record
 * that produced it, so every websocket-service replica gives the same change the same cursor.
 * Clients treat them as opaque strings, except to compare two of them (to drop what they already have).
 *
 * Format "<partition>:<offset>". `ORIGIN_CURSOR` ("0:-1") is the position before the first record.
 */
export interface Position {
  readonly partition: number;
  readonly offset: bigint;
}

export const ORIGIN: Position = { partition: 0, offset: -1n };
const CURSOR_PATTERN = /^(0|[1-9]\d{0,4}):(-1|0|[1-9]\d{0,18})$/;

export function formatCursor(position: Position): string {
  return `${position.partition}:${position.offset}`;
}

export const ORIGIN_CURSOR = formatCursor(ORIGIN);

/** Parses a cursor; undefined when it is not one this protocol version produces. */
export function parseCursor(cursor: string): Position | undefined {
  const match = CURSOR_PATTERN.exec(cursor);
  if (!match) return undefined;
  return { partition: Number(match[1]), offset: BigInt(match[2]!) };
}

/** Negative when a is before b, 0 when equal, positive when after. Both must parse. */
export function compareCursors(a: string, b: string): number {
  const pa = parseCursor(a);
  const pb = parseCursor(b);
  if (!pa || !pb) throw new Error(`not a cursor: ${pa ? b : a}`);
  if (pa.partition !== pb.partition) return pa.partition - pb.partition;
  return pa.offset < pb.offset ? -1 : pa.offset > pb.offset ? 1 : 0;
}

/** True when position a lies after position b in the log (the order of compareCursors). */
export function isAfter(a: Position, b: Position): boolean {
  return a.partition !== b.partition ? a.partition > b.partition : a.offset > b.offset;
}
