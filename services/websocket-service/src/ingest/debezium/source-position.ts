/** The envelope's `source` block → where the change sits in the WAL (commit time, LSNs, txId, snapshot). */
import * as z from 'zod';
import { DECODE_ERROR_CODES, type DecodeError } from './decode-error.js';
import type { SourcePosition } from './decoded-record.js';
import { parseText } from './json-text.js';

const safeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const lsnText = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(safeInt);

export const sourceSchema = z.object({
  ts_ms: safeInt,
  lsn: safeInt,
  txId: safeInt.nullable().optional(),
  // '["<last commit lsn>","<event lsn>"]', either element may be null.
  sequence: z.string().nullable().optional(),
  snapshot: z.enum(['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental']).optional(),
});

const sequenceSchema = z.tuple([lsnText.nullable(), lsnText.nullable()]);

export function decodeSource(source: z.infer<typeof sourceSchema>): SourcePosition | DecodeError {
  let commitLsn: number | null = null;
  if (source.sequence != null) {
    const parsed = parseText(source.sequence);
    const sequence = parsed.ok ? sequenceSchema.safeParse(parsed.value) : undefined;
    if (!sequence?.success) {
      return { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `source.sequence is not [lsn, lsn]: ${source.sequence.slice(0, 80)}` };
    }
    commitLsn = sequence.data[0];
  }
  return {
    commitTimeMs: source.ts_ms,
    lsn: source.lsn,
    commitLsn,
    txId: source.txId ?? null,
    snapshot: source.snapshot !== undefined && source.snapshot !== 'false',
  };
}
