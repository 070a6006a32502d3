/**
 * Debezium's transaction metadata (provide.transaction.metadata=true), decoded. Pure.
 *
 * The connector writes a BEGIN and an END record per Postgres transaction to `<prefix>.transaction`,
 * and puts `transaction: {id, total_order, data_collection_order}` on every data event. As Debezium
 * 3.7 writes them for Postgres (recorded from the real stack):
 *
 *   data event   "transaction": {"id": "764:26716840", "total_order": 1, "data_collection_order": 1}
 *   BEGIN        {"status": "BEGIN", "id": "764:26716840", "event_count": null, "data_collections": null, "ts_ms": …}
 *   END          {"status": "END", "id": "764:26717560", "event_count": 3,
 *                 "data_collections": [{"data_collection": "public.orders", "event_count": 3}], "ts_ms": …}
 *
 * The part after the colon is an LSN that differs from event to event and between BEGIN and END, so
 * a transaction is known by the part before it: Postgres' txId (source.txId). END's ts_ms is the
 * commit time (the same as its events' source.ts_ms).
 */
import * as z from 'zod';
import { DECODE_ERROR_CODES, describeIssues, type DecodeError } from './decode-error.js';
import { parseText, utf8 } from './json-text.js';

const safeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** "764:26716840" → 764. */
const transactionId = z
  .string()
  .regex(/^\d{1,15}:/, 'expected "<txId>:<lsn>"')
  .transform((id) => Number(id.slice(0, id.indexOf(':'))));

/** The `transaction` block of a data event, as TransactionPlace. */
export const transactionPlaceSchema = z
  .object({ id: transactionId, data_collection_order: safeInt })
  .transform((t) => ({ txId: t.id, order: t.data_collection_order }));

const markerSchema = z.object({
  status: z.enum(['BEGIN', 'END']),
  id: transactionId,
  ts_ms: safeInt,
  event_count: safeInt.nullish(),
  data_collections: z.array(z.object({ data_collection: z.string(), event_count: safeInt })).nullish(),
});

export interface TransactionMarker {
  readonly status: 'BEGIN' | 'END';
  readonly txId: number;
  /** Commit time (END) or begin time, epoch ms. */
  readonly timeMs: number;
  /** END: events per table ("public.orders" → 3); empty for BEGIN. */
  readonly eventCounts: ReadonlyMap<string, number>;
}

export type MarkerResult = { readonly ok: true; readonly marker: TransactionMarker } | { readonly ok: false; readonly error: DecodeError };

/** One record of the transaction topic (JsonConverter, schemas enabled or not). */
export function decodeTransactionMarker(valueBytes: Uint8Array | null): MarkerResult {
  if (valueBytes === null)
    return { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: 'transaction marker without a value' } };
  const text = utf8(valueBytes);
  const json = text === undefined ? undefined : parseText(text);
  if (!json?.ok) return { ok: false, error: { code: DECODE_ERROR_CODES.NOT_JSON, message: 'transaction marker is not JSON' } };
  const value = json.value;
  const payload = typeof value === 'object' && value !== null && 'payload' in value && 'schema' in value ? value.payload : value;
  const parsed = markerSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: describeIssues(parsed.error) } };
  const m = parsed.data;
  const eventCounts = new Map((m.data_collections ?? []).map((c) => [c.data_collection, c.event_count] as const));
  return { ok: true, marker: { status: m.status, txId: m.id, timeMs: m.ts_ms, eventCounts } };
}
