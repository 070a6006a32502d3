/** A record's value → the codec of its row schema and the envelope (the payload), with a fast path for the JsonConverter's layout. */
import * as z from 'zod';
import { orderRowSchema } from '@orders-live/protocol';
import { compileRowSchema, connectFieldSchema, ValueError, type RowCodec } from './connect-schema.js';
import { DECODE_ERROR_CODES, describeIssues, type DecodeError } from './decode-error.js';
import { parseText, utf8 } from './json-text.js';
import { LEGACY_COLUMNS } from './legacy-columns.js';
import type { Compiled, RowCodecCache } from './row-codec-cache.js';

/** What the JsonConverter wraps the envelope in; only the row's schema (the `after` field) is read. */
const envelopeSchemaSchema = z.object({
  type: z.literal('struct'),
  fields: z.array(z.object({ field: z.string() }).passthrough()),
});

export const LEGACY_CODEC: RowCodec = {
  columns: LEGACY_COLUMNS,
  read(row) {
    const parsed = orderRowSchema.safeParse(row);
    if (!parsed.success)
      throw new ValueError(`${describeIssues(parsed.error)} (a record without a schema carries the original columns only)`);
    return parsed.data;
  },
};

/** The JsonConverter's own layout, which the fast path below relies on. */
const SCHEMA_PREFIX = '{"schema":';
const PAYLOAD_SEPARATOR = ',"payload":';

type Split =
  { readonly ok: true; readonly codec: RowCodec; readonly payload: unknown } | { readonly ok: false; readonly error: DecodeError };

const CLOSING_BRACE = 0x7d;

/**
 * The fast path from the value's bytes, or undefined to take splitEnvelope. When the bytes begin with
 * exactly those of the last schema's records, `{"schema":S,"payload":` (S a JSON value that compiled),
 * the record is {"schema":S,"payload":P} if the rest but its last `}` is a JSON value P: only P's
 * bytes are decoded and parsed. A start-up replay reads a million records of one schema: this skips
 * decoding and scanning 5.7 KB of schema text in each, and the garbage it made.
 */
export function splitEnvelopeBytes(bytes: Uint8Array, cache: RowCodecCache): Split | undefined {
  const prefix = cache.lastPrefix;
  if (!prefix || bytes.length <= prefix.bytes.length || bytes[bytes.length - 1] !== CLOSING_BRACE) return undefined;
  if (Buffer.compare(bytes.subarray(0, prefix.bytes.length), prefix.bytes) !== 0) return undefined;
  const text = utf8(bytes.subarray(prefix.bytes.length, bytes.length - 1));
  const payload = text === undefined ? undefined : parseText(text);
  return payload?.ok ? { ok: true, codec: prefix.codec, payload: payload.value } : undefined;
}

/**
 * The value → the codec of its row schema and the envelope. The JsonConverter writes
 * {"schema":S,"payload":P} with no spaces, and the schema is the same text for every record between
 * two DDLs, so S is looked up by its text and only P is parsed. A quote inside a JSON string is
 * escaped, so the first `,"payload":` is the separator of the two members; if either slice is not a
 * JSON value on its own, the text is some other layout and is parsed whole.
 */
export function splitEnvelope(text: string, cache: RowCodecCache): Split {
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
        if (compiled.ok) {
          if (cache.lastPrefix?.codec !== compiled.codec)
            cache.lastPrefix = { bytes: Buffer.from(text.slice(0, at + PAYLOAD_SEPARATOR.length), 'utf8'), codec: compiled.codec };
          return { ok: true, codec: compiled.codec, payload: payload.value };
        }
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
    return { ok: false, error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `schema: ${describeIssues(envelope.error)}` } };
  const afterField = envelope.data.fields.find((f) => f.field === 'after');
  const rowSchema = connectFieldSchema.safeParse(afterField);
  if (!rowSchema.success)
    return {
      ok: false,
      error: { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `schema of "after": ${describeIssues(rowSchema.error)}` },
    };
  try {
    return { ok: true, codec: compileRowSchema(rowSchema.data) };
  } catch (err) {
    return { ok: false, error: { code: DECODE_ERROR_CODES.UNSUPPORTED_TYPE, message: err instanceof Error ? err.message : String(err) } };
  }
}
