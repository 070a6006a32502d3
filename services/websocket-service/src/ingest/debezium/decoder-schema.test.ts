/**
 * The decoder on records recorded from the native stack with the value schema embedded, before and
 * after each DDL of the schema-change scenario (scripts/record-schema-fixtures.mjs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnNames, findColumn } from '../../table/column-set.js';
import { DECODE_ERROR_CODES, decodeRecord, RowCodecCache, type DecodedRecord } from './decoder.js';
import { LEGACY_COLUMNS } from './legacy-columns.js';

const enc = new TextEncoder();
const dir = new URL('../fixtures/schema/', import.meta.url);
export const SCHEMA_FIXTURES = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort();
export function schemaFixture(name: string): { key: string | null; value: string | null } {
  return JSON.parse(readFileSync(new URL(name.endsWith('.json') ? name : `${name}.json`, dir), 'utf8')) as {
    key: string | null;
    value: string | null;
  };
}
function decoded(name: string, cache = new RowCodecCache()): DecodedRecord & { kind: 'row' } {
  const f = schemaFixture(name);
  const result = decodeRecord(f.key === null ? null : enc.encode(f.key), f.value === null ? null : enc.encode(f.value), cache);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  if (result.record.kind !== 'row') throw new Error(`${name}: not a row`);
  return result.record;
}

describe('decodeRecord with the value schema embedded', () => {
  it('decodes every recorded record, before and after each DDL', () => {
    expect(SCHEMA_FIXTURES.length).toBeGreaterThanOrEqual(11);
    for (const name of SCHEMA_FIXTURES) expect(decoded(name).key.id).toBeGreaterThan(0);
  });

  it('describes the original table exactly as the records without a schema are read', () => {
    expect(decoded('01-update-before-ddl').columns).toEqual(LEGACY_COLUMNS);
    expect(decoded('11-back-to-original').columns.fingerprint).toBe(LEGACY_COLUMNS.fingerprint);
  });

  it('follows each DDL: added, retyped, made NOT NULL, renamed, dropped', () => {
    const note = (name: string) => findColumn(decoded(name).columns, 'note');
    expect(note('02-add-varchar')).toEqual({ name: 'note', kind: 'text', sourceType: 'VARCHAR', nullable: true });
    expect(decoded('02-add-varchar').after?.['note']).toBe('first note');
    expect(note('03-varchar-to-text')).toMatchObject({ kind: 'text', sourceType: 'TEXT', nullable: true });
    expect(findColumn(decoded('04-integer-to-bigint').columns, 'quantity')).toMatchObject({ kind: 'bigint', sourceType: 'INT8' });
    expect(decoded('04-integer-to-bigint').after?.['quantity']).toBe(5);
    expect(findColumn(decoded('05-add-with-default').columns, 'priority')).toEqual({
      name: 'priority',
      kind: 'int',
      sourceType: 'INT4',
      nullable: false,
      defaultValue: 3,
    });
    expect(note('06-set-not-null')).toMatchObject({ nullable: false });
    const renamed = decoded('07-rename');
    expect(columnNames(renamed.columns)).toContain('memo');
    expect(columnNames(renamed.columns)).not.toContain('note');
    expect(renamed.after?.['memo']).toBe('renamed');
    expect(columnNames(decoded('08-drop').columns)).toEqual([...columnNames(LEGACY_COLUMNS), 'priority'].map((n) => n));
  });

  it('types every kind of new column faithfully, from the schema alone', () => {
    const record = decoded('09-many-types');
    const kinds = Object.fromEntries(record.columns.columns.map((c) => [c.name, c.elementKind ? `${c.kind}<${c.elementKind}>` : c.kind]));
    expect(kinds).toMatchObject({
      paid: 'boolean',
      meta: 'json',
      ref: 'uuid',
      due: 'date',
      blob: 'bytes',
      seen_at: 'timestamp',
      price: 'decimal',
      tags: 'array<text>',
      wait: 'interval',
      at_time: 'time',
      ratio: 'float',
      small: 'int',
      amount: 'decimal',
      created_at: 'timestamptz',
    });
    expect(record.after).toMatchObject({
      paid: true,
      // The JSON text as Postgres normalised it (jsonb), big numbers and all: never re-parsed.
      meta: '{"a": [1, 2.5, "x"], "big": 12345678901234567890}',
      ref: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      due: '2026-12-01',
      blob: 'AP8Q',
      seen_at: '2026-12-01T10:11:12.345678',
      price: '-1234567.891',
      tags: ['a', 'b c', null],
      wait: 'P0Y0M1DT2H3M4.5S',
      at_time: '23:59:59.999999',
      ratio: 0.1,
      small: -32768,
    });
  });

  it('decodes a delete under widened columns with the whole old row', () => {
    const record = decoded('10-delete-after-ddl');
    expect(record.op).toBe('delete');
    expect(record.before?.['paid']).toBe(true);
  });

  it('compiles a schema once and reads the next records of that schema from the cache', () => {
    const cache = new RowCodecCache();
    const first = decoded('02-add-varchar', cache);
    const again = decoded('02-add-varchar', cache);
    expect(again.columns).toBe(first.columns);
  });

  it('rejects a value that does not fit its own schema, with a code', () => {
    const f = schemaFixture('09-many-types');
    const value = JSON.parse(f.value!) as { payload: { after: Record<string, unknown> } };
    value.payload.after['due'] = 'tomorrow';
    const result = decodeRecord(enc.encode(f.key!), enc.encode(JSON.stringify(value)));
    expect(result.ok ? undefined : result.error.code).toBe(DECODE_ERROR_CODES.BAD_VALUE);
    value.payload.after['due'] = 20788;
    value.payload.after['extra'] = 1;
    const extra = decodeRecord(enc.encode(f.key!), enc.encode(JSON.stringify(value)));
    expect(extra.ok ? undefined : extra.error.code).toBe(DECODE_ERROR_CODES.BAD_VALUE);
  });

  it('refuses a column type it cannot represent exactly, with a code', () => {
    const f = schemaFixture('02-add-varchar');
    const value = JSON.parse(f.value!) as {
      schema: { fields: { field: string; fields: { field: string; type: string; name?: string }[] }[] };
    };
    for (const part of value.schema.fields.filter((p) => p.field === 'before' || p.field === 'after')) {
      const note = part.fields.find((c) => c.field === 'note')!;
      note.type = 'struct';
      note.name = 'io.debezium.data.geometry.Geometry';
    }
    const result = decodeRecord(enc.encode(f.key!), enc.encode(JSON.stringify(value)));
    expect(result.ok ? undefined : result.error.code).toBe(DECODE_ERROR_CODES.UNSUPPORTED_TYPE);
  });

  it("reads a record laid out with spaces the same as the converter's compact one", () => {
    const f = schemaFixture('09-many-types');
    const spaced = JSON.stringify(JSON.parse(f.value!), null, 1);
    const result = decodeRecord(enc.encode(f.key!), enc.encode(spaced));
    expect(result.ok && result.record.kind === 'row' && result.record.after).toEqual(decoded('09-many-types').after);
  });

  it('refuses a record without a schema that carries a column the original table lacks', () => {
    const f = schemaFixture('02-add-varchar');
    const payload = (JSON.parse(f.value!) as { payload: unknown }).payload;
    const result = decodeRecord(enc.encode(f.key!), enc.encode(JSON.stringify(payload)));
    expect(result.ok ? undefined : result.error.code).toBe(DECODE_ERROR_CODES.BAD_ENVELOPE);
  });
});
