/**
 * Debezium Postgres change event → typed record. Pure: bytes in, a value out; no logger, no Kafka,
 * no clock. The value is what the JsonConverter writes with schemas enabled (the worker's setting):
 * { schema, payload } where payload is the envelope { before, after, source: {ts_ms, lsn, txId,
 * sequence, snapshot…}, op } and schema says the type of every column of before/after. Each record
 * is decoded by its own schema, so records written before a DDL (older shapes, still in the
 * compacted topic) and after it decode alike, and a new column is typed as faithfully as an old one.
 * Records written with schemas disabled (a topic from before that setting) carry no types; they
 * decode by the table's original columns (LEGACY_COLUMNS) and nothing else.
 *
 * Everything that can be wrong with a record comes back as a DecodeError with a stable code; nothing
 * here throws. Numbers the JSON parser cannot hold exactly (ids, LSNs past 2^53) are rejected rather
 * than silently rounded; decimals arrive as strings (decimal.handling.mode=string) and stay strings.
 */
import * as z from 'zod';
import { orderIdSchema, orderKeySchema, orderRowSchema, type OrderKey } from '@orders-live/protocol';
import type { ColumnSet, WireValue } from '../column-set.js';
import { compileRowSchema, connectFieldSchema, ValueError, type RowCodec } from './connect-schema.js';
import { LEGACY_COLUMNS } from './legacy-columns.js';

export const DECODE_ERROR_CODES = {
  /** Key or value bytes are not JSON (or not UTF-8 JSON). */
  NOT_JSON: 'DBZ_NOT_JSON',
  /** The key is not this table's primary key. */
  BAD_KEY: 'DBZ_BAD_KEY',
  /** The value is JSON but not a Debezium envelope for this table's rows. */
  BAD_ENVELOPE: 'DBZ_BAD_ENVELOPE',
  /**
   * An op this service does not apply: "m" (a logical decoding message) or "t" (a truncate; the
   * database refuses TRUNCATE on orders and a keyless truncate event cannot enter the compacted
   * topic, so one found there is forged or misrouted, and clearing every view on it would be wrong).
   */
  UNSUPPORTED_OP: 'DBZ_UNSUPPORTED_OP',
  /** The key names a different row than the envelope's before/after. */
  KEY_MISMATCH: 'DBZ_KEY_MISMATCH',
  /** The record's schema has a column type this service cannot represent exactly (e.g. a geometry). */
  UNSUPPORTED_TYPE: 'DBZ_UNSUPPORTED_TYPE',
  /** A column's value does not fit the type the record's own schema gives it. */
  BAD_VALUE: 'DBZ_BAD_VALUE',
} as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[keyof typeof DECODE_ERROR_CODES];

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly message: string;
}

/** Where a change sits in Postgres' WAL, as Debezium reports it. */
export interface SourcePosition {
  /** Commit time in Postgres, epoch ms (source.ts_ms). */
  readonly commitTimeMs: number;
  /** LSN of this event (source.lsn). */
  readonly lsn: number;
  /** LSN of the last commit before this event (first element of source.sequence); null in snapshots. */
  readonly commitLsn: number | null;
  readonly txId: number | null;
  /** True for rows read by the connector's initial snapshot. */
  readonly snapshot: boolean;
}

/** A row in wire form, keyed by column name; `id` is the primary key. */
export type TableRow = Readonly<Record<string, WireValue>> & { readonly id: number };

export type RowOp = 'read' | 'insert' | 'update' | 'delete';

export type DecodedRecord =
  | {
      readonly kind: 'row';
      readonly op: RowOp;
      readonly key: OrderKey;
      readonly before: TableRow | null;
      readonly after: TableRow | null;
      readonly source: SourcePosition;
      /** The table's columns as this record's schema describes them. */
      readonly columns: ColumnSet;
    }
  /** The delete's follow-up with a null value: it lets compaction drop the key. */
  | { readonly kind: 'tombstone'; readonly key: OrderKey };

export type DecodeResult = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly error: DecodeError };

const safeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const lsnText = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(safeInt);

const sourceSchema = z.object({
  ts_ms: safeInt,
  lsn: safeInt,
  txId: safeInt.nullable().optional(),
  // '["<last commit lsn>","<event lsn>"]', either element may be null.
  sequence: z.string().nullable().optional(),
  snapshot: z.enum(['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental']).optional(),
});

const envelopeSchema = z.object({
  before: z.unknown(),
  after: z.unknown(),
  source: sourceSchema,
  op: z.string(),
});

/** What the JsonConverter wraps the envelope in; only the row's schema (the `after` field) is read. */
const envelopeSchemaSchema = z.object({
  type: z.literal('struct'),
  fields: z.array(z.object({ field: z.string() }).passthrough()),
});

const LEGACY_CODEC: RowCodec = {
  columns: LEGACY_COLUMNS,
  read(row) {
    const parsed = orderRowSchema.safeParse(row);
    if (!parsed.success) throw new ValueError(`${describe(parsed.error)} (a record without a schema carries the original columns only)`);
    return parsed.data;
  },
};

/**
 * Compiled row schemas by their JSON text. A table has one schema between DDLs, so this holds a
 * handful; the bound only keeps forged records with ever-new schemas from growing memory.
 */
export const SCHEMA_CACHE_ENTRIES = 64;

type Compiled = { readonly ok: true; readonly codec: RowCodec } | { readonly ok: false; readonly error: DecodeError };

export class RowCodecCache {
  readonly #byText = new Map<string, Compiled>();
  /** The last schema looked up: nearly every record has it, and comparing is cheaper than hashing. */
  #lastText = '';
  #last: Compiled | undefined;

  get(schemaText: string, compile: () => Compiled): Compiled {
    if (this.#last !== undefined && schemaText === this.#lastText) return this.#last;
    let compiled = this.#byText.get(schemaText);
    if (compiled === undefined) {
      compiled = compile();
      if (this.#byText.size >= SCHEMA_CACHE_ENTRIES) this.#byText.delete(this.#byText.keys().next().value!);
      this.#byText.set(schemaText, compiled);
    }
    this.#lastText = schemaText;
    this.#last = compiled;
    return compiled;
  }
}

const defaultCache = new RowCodecCache();

const sequenceSchema = z.tuple([lsnText.nullable(), lsnText.nullable()]);

const OPS: Record<string, RowOp> = { r: 'read', c: 'insert', u: 'update', d: 'delete' };

function fail(code: DecodeErrorCode, message: string): DecodeResult {
  return { ok: false, error: { code, message } };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function decodeSource(source: z.infer<typeof sourceSchema>): SourcePosition | DecodeError {
  let commitLsn: number | null = null;
  if (source.sequence != null) {
    const parsed = parseJson(new TextEncoder().encode(source.sequence));
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

/** Decodes one Kafka record of the orders topic. */
export function decodeRecord(
  keyBytes: Uint8Array | null,
  valueBytes: Uint8Array | null,
  cache: RowCodecCache = defaultCache,
): DecodeResult {
  let key: OrderKey | null = null;
  if (keyBytes !== null) {
    const json = parseJson(keyBytes);
    if (!json.ok) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record key is not JSON');
    const parsedKey = orderKeySchema.safeParse(json.value);
    if (!parsedKey.success) return fail(DECODE_ERROR_CODES.BAD_KEY, `record key: ${describe(parsedKey.error)}`);
    key = parsedKey.data;
  }

  if (valueBytes === null) {
    if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'record has neither key nor value');
    return { ok: true, record: { kind: 'tombstone', key } };
  }

  const text = utf8(valueBytes);
  if (text === undefined) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record value is not UTF-8');
  const split = splitEnvelope(text, cache);
  if (!split.ok) return { ok: false, error: split.error };
  const { codec, payload } = split;

  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) return fail(DECODE_ERROR_CODES.BAD_ENVELOPE, describe(envelope.error));
  const { op: rawOp } = envelope.data;

  const op = Object.hasOwn(OPS, rawOp) ? OPS[rawOp] : undefined;
  if (op === undefined) return fail(DECODE_ERROR_CODES.UNSUPPORTED_OP, `op "${rawOp.slice(0, 16)}" is not applied`);
  const source = decodeSource(envelope.data.source);
  if ('code' in source) return { ok: false, error: source };

  let before: TableRow | null;
  let after: TableRow | null;
  try {
    before = readRow(codec, envelope.data.before);
    after = readRow(codec, envelope.data.after);
  } catch (err) {
    const code = codec === LEGACY_CODEC ? DECODE_ERROR_CODES.BAD_ENVELOPE : DECODE_ERROR_CODES.BAD_VALUE;
    return fail(code, err instanceof Error ? err.message : String(err));
  }

  const shapeOk =
    op === 'read' || op === 'insert'
      ? before === null && after !== null
      : op === 'update'
        ? after !== null
        : after === null && before !== null;
  if (!shapeOk)
    return fail(
      DECODE_ERROR_CODES.BAD_ENVELOPE,
      `op "${rawOp}" with before=${before ? 'row' : 'null'} and after=${after ? 'row' : 'null'}`,
    );

  const row = (after ?? before)!;
  if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'row change without a key');
  // An update that changes the primary key is emitted by Debezium as delete + create; the key is the new row's.
  if (row.id !== key.id) return fail(DECODE_ERROR_CODES.KEY_MISMATCH, `key id ${key.id} but row id ${String(row.id)}`);

  return { ok: true, record: { kind: 'row', op, key, before, after, source, columns: codec.columns } };
}

function readRow(codec: RowCodec, value: unknown): TableRow | null {
  if (value === null) return null;
  const row = codec.read(value);
  const id = orderIdSchema.safeParse(row['id']);
  if (!id.success) throw new ValueError('the row has no primary key "id" that is an exact positive integer');
  return row as TableRow;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The JsonConverter's own layout, which the fast path below relies on. */
const SCHEMA_PREFIX = '{"schema":';
const PAYLOAD_SEPARATOR = ',"payload":';

type Split =
  { readonly ok: true; readonly codec: RowCodec; readonly payload: unknown } | { readonly ok: false; readonly error: DecodeError };

/**
 * The value → the codec of its row schema and the envelope. The JsonConverter writes
 * {"schema":S,"payload":P} with no spaces, and the schema is the same text for every record between
 * two DDLs, so S is looked up by its text and only P is parsed. A quote inside a JSON string is
 * escaped, so the first `,"payload":` is the separator of the two members; if either slice is not a
 * JSON value on its own, the text is some other layout and is parsed whole.
 */
function splitEnvelope(text: string, cache: RowCodecCache): Split {
  if (text.startsWith(SCHEMA_PREFIX) && text.endsWith('}')) {
    const at = text.indexOf(PAYLOAD_SEPARATOR);
    if (at > 0) {
      const schemaText = text.slice(SCHEMA_PREFIX.length, at);
      const payload = parseText(text.slice(at + PAYLOAD_SEPARATOR.length, -1));
      if (payload.ok) {
        const compiled = cache.get(schemaText, () => {
          const schema = parseText(schemaText);
          return schema.ok
            ? compileEnvelopeSchema(schema.value)
            : { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: 'schema is not JSON' } };
        });
        if (compiled.ok) return { ok: true, codec: compiled.codec, payload: payload.value };
        // A schema slice that is not JSON may be a different layout: fall through to the whole parse.
        if (compiled.error.message !== 'schema is not JSON') return compiled;
      }
    }
  }
  const json = parseText(text);
  if (!json.ok) return { ok: false, error: { code: DECODE_ERROR_CODES.NOT_JSON, message: 'record value is not JSON' } };
  const value = json.value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'schema' in value && 'payload' in value) {
    const compiled = compileEnvelopeSchema((value as { schema: unknown }).schema);
    return compiled.ok ? { ok: true, codec: compiled.codec, payload: (value as { payload: unknown }).payload } : compiled;
  }
  // No embedded schema: a record written before schemas were enabled.
  return { ok: true, codec: LEGACY_CODEC, payload: value };
}

function compileEnvelopeSchema(schema: unknown): Compiled {
  const envelope = envelopeSchemaSchema.safeParse(schema);
  if (!envelope.success)
    return { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `schema: ${describe(envelope.error)}` } };
  const afterField = envelope.data.fields.find((f) => f.field === 'after');
  const rowSchema = connectFieldSchema.safeParse(afterField);
  if (!rowSchema.success)
    return { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `schema of "after": ${describe(rowSchema.error)}` } };
  try {
    return { ok: true, codec: compileRowSchema(rowSchema.data) };
  } catch (err) {
    return { ok: false, error: { code: DECODE_ERROR_CODES.UNSUPPORTED_TYPE, message: err instanceof Error ? err.message : String(err) } };
  }
}

function parseText(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
