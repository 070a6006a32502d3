/**
 * Fuzzing the decoder from the records recorded on the real stack: whatever bytes arrive, only a
 * typed result comes out — never an exception — and what decodes still satisfies the row contract.
 * Property-based (fast-check): each property runs thousands of generated cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderRowSchema } from '@orders-live/protocol';
import { DECODE_ERROR_CODES, RowCodecCache, decodeRecord } from './decoder.js';
import { LEGACY_COLUMNS } from './legacy-columns.js';

const FIXTURES = ['snapshot-read-first', 'snapshot-read', 'insert', 'update', 'delete', 'tombstone'] as const;
const SCHEMA_FIXTURES = readdirSync(new URL('../fixtures/schema/', import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .map((name) => `schema/${name.slice(0, -5)}`);
const recorded = [...FIXTURES, ...SCHEMA_FIXTURES].map(
  (name) =>
    JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as { key: string | null; value: string | null },
);
const enc = new TextEncoder();
const CODES = new Set(Object.values(DECODE_ERROR_CODES));
/** fast-check's case count per property; four properties make well over 10,000 cases in all. */
const RUNS = 4_000;

function decodesSafely(key: Uint8Array | null, value: Uint8Array | null): void {
  const result = decodeRecord(key, value);
  if (result.ok) {
    if (result.record.kind === 'row') {
      const { columns } = result.record;
      for (const row of [result.record.before, result.record.after]) {
        if (!row) continue;
        // A row has exactly its record's columns; one read by the original columns is an orders row.
        expect(Object.keys(row)).toEqual(columns.columns.map((c) => c.name));
        for (const column of columns.columns) if (!column.nullable) expect(row[column.name]).not.toBeNull();
        if (columns === LEGACY_COLUMNS) expect(orderRowSchema.safeParse(row).success).toBe(true);
      }
      expect(Number.isSafeInteger(result.record.key.id)).toBe(true);
    }
  } else {
    expect(CODES.has(result.error.code)).toBe(true);
    expect(typeof result.error.message).toBe('string');
  }
}

/** Replaces the value at a random path of a JSON document with a random JSON value. */
function mutate(document: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || document === null || typeof document !== 'object') return replacement;
  const entries = Array.isArray(document) ? document.map((v, i) => [String(i), v] as const) : Object.entries(document);
  if (entries.length === 0) return replacement;
  const [key, child] = entries[path[0]! % entries.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(document) ? [...document] : { ...(document as Record<string, unknown>) };
  (copy as Record<string, unknown>)[key] = mutate(child, path.slice(1), replacement);
  return copy;
}

describe('decodeRecord under fuzzing', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.option(fc.uint8Array({ maxLength: 256 })), fc.option(fc.uint8Array({ maxLength: 2_048 })), (key, value) => {
        decodesSafely(key, value);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.option(fc.json()), fc.option(fc.json()), (key, value) => {
        decodesSafely(key === null ? null : enc.encode(key), value === null ? null : enc.encode(value));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on recorded envelopes with one value replaced anywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...recorded.filter((r) => r.value !== null)),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.jsonValue(),
        (record, path, replacement) => {
          const value = mutate(JSON.parse(record.value!), path, replacement);
          decodesSafely(record.key === null ? null : enc.encode(record.key), enc.encode(JSON.stringify(value)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throws on recorded records cut short or with bytes flipped', () => {
    fc.assert(
      fc.property(fc.constantFrom(...recorded), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (record, cut, at, byte) => {
        const mangle = (text: string | null) => {
          if (text === null) return null;
          const bytes = enc.encode(text).slice(0, Math.max(1, cut % (text.length + 1)));
          bytes[at % bytes.length] = byte;
          return bytes;
        };
        decodesSafely(mangle(record.key), mangle(record.value));
      }),
      { numRuns: RUNS },
    );
  });

  // A cache that has seen a record's schema matches the next ones by their bytes (splitEnvelopeBytes);
  // a fresh one parses the text. Whatever the bytes, both must give the same result.
  it('decodes alike from bytes matched to a known schema and from parsed text', () => {
    const sameBothWays = (record: { key: string | null; value: string | null }, value: Uint8Array) => {
      const key = record.key === null ? null : enc.encode(record.key);
      const warm = new RowCodecCache();
      decodeRecord(key, enc.encode(record.value!), warm);
      expect(decodeRecord(key, value, warm)).toEqual(decodeRecord(key, value, new RowCodecCache()));
    };
    const withValue = recorded.filter((r) => r.value !== null);
    fc.assert(
      fc.property(fc.constantFrom(...withValue), fc.array(fc.nat(), { maxLength: 3 }), fc.jsonValue(), (record, path, replacement) => {
        const value = JSON.parse(record.value!) as Record<string, unknown>;
        const payload = 'payload' in value ? { ...value, payload: mutate(value['payload'], path, replacement) } : value;
        sameBothWays(record, enc.encode(JSON.stringify(payload)));
      }),
      { numRuns: RUNS / 4 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...withValue), fc.nat(), fc.integer({ min: 0, max: 255 }), (record, at, byte) => {
        const bytes = enc.encode(record.value!);
        bytes[at % bytes.length] = byte;
        sameBothWays(record, bytes);
      }),
      { numRuns: RUNS / 4 },
    );
  });
});
