import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECODE_ERROR_CODES, decodeRecord, type DecodeResult } from './decoder.js';
import { LEGACY_COLUMNS } from './legacy-columns.js';

interface Fixture {
  key: string | null;
  value: string | null;
}

const enc = new TextEncoder();
function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}
function decodeFixture(f: Fixture): DecodeResult {
  return decodeRecord(f.key === null ? null : enc.encode(f.key), f.value === null ? null : enc.encode(f.value));
}
function decodeJson(key: unknown, value: unknown): DecodeResult {
  return decodeRecord(enc.encode(JSON.stringify(key)), enc.encode(JSON.stringify(value)));
}
function errorCode(result: DecodeResult): string | undefined {
  return result.ok ? undefined : result.error.code;
}

describe('decodeRecord on records recorded from the native stack', () => {
  it('decodes the first snapshot read with exact values', () => {
    const result = decodeFixture(fixture('snapshot-read-first'));
    expect(result).toEqual({
      ok: true,
      record: {
        kind: 'row',
        op: 'read',
        key: { id: 1 },
        before: null,
        after: {
          id: 1,
          customer_name: 'Ada Lovelace',
          product_name: 'Mechanical keyboard',
          status: 'delivered',
          quantity: 1,
          amount: '129.99',
          created_at: '2026-11-18T09:53:04.157174Z',
          updated_at: '2026-11-20T09:53:04.157174Z',
        },
        source: { commitTimeMs: 1795254797072, lsn: 26407488, commitLsn: null, txId: 734, snapshot: true },
        transaction: null,
        columns: LEGACY_COLUMNS,
      },
    });
  });

  it("reads the event's place in its transaction (Debezium 3.7, provide.transaction.metadata)", () => {
    const result = decodeFixture(fixture('transaction-update'));
    if (!result.ok || result.record.kind !== 'row') throw new Error('expected a row');
    expect(result.record.op).toBe('update');
    expect(result.record.source.txId).toBe(1340);
    // Debezium's id is "1340:26941048": the txId, then an LSN that differs from event to event.
    expect(result.record.transaction).toEqual({ txId: 1340, order: 2 });
  });

  it('decodes a mid-snapshot read', () => {
    const result = decodeFixture(fixture('snapshot-read'));
    expect(result.ok && result.record.kind === 'row' && result.record.op).toBe('read');
    expect(result.ok && result.record.kind === 'row' && result.record.after?.product_name).toBe('Noise-cancelling headphones');
  });

  it('decodes an insert, keeping the numeric exact and unicode intact', () => {
    const result = decodeFixture(fixture('insert'));
    if (!result.ok || result.record.kind !== 'row') throw new Error('expected a row');
    expect(result.record.op).toBe('insert');
    expect(result.record.before).toBeNull();
    expect(result.record.after).toMatchObject({
      id: 6,
      product_name: "Widget 'Pro' — ünïcode",
      quantity: 7,
      amount: '1234567890.12',
      created_at: '2026-11-21T09:53:24.431331Z',
    });
    expect(result.record.source).toEqual({ commitTimeMs: 1795254804432, lsn: 26407704, commitLsn: null, txId: 735, snapshot: false });
  });

  it('decodes an update with the whole old row (REPLICA IDENTITY FULL) and the commit LSN', () => {
    const result = decodeFixture(fixture('update'));
    if (!result.ok || result.record.kind !== 'row') throw new Error('expected a row');
    expect(result.record.op).toBe('update');
    expect(result.record.before).toMatchObject({ status: 'pending', amount: '1234567890.12' });
    expect(result.record.after).toMatchObject({ status: 'shipped', amount: '0.10', updated_at: '2026-11-21T09:53:24.474043Z' });
    expect(result.record.source).toMatchObject({ lsn: 26408024, commitLsn: 26407968, txId: 736 });
  });

  it('decodes a delete with the old row and no new row', () => {
    const result = decodeFixture(fixture('delete'));
    if (!result.ok || result.record.kind !== 'row') throw new Error('expected a row');
    expect(result.record.op).toBe('delete');
    expect(result.record.after).toBeNull();
    expect(result.record.before).toMatchObject({ id: 6, status: 'shipped' });
  });

  it('decodes a tombstone as key only', () => {
    expect(decodeFixture(fixture('tombstone'))).toEqual({ ok: true, record: { kind: 'tombstone', key: { id: 6 } } });
  });
});

describe('decodeRecord on malformed records', () => {
  const insert = fixture('insert');
  const envelope = JSON.parse(insert.value!) as Record<string, any>;

  it('rejects a value that is not JSON', () => {
    expect(errorCode(decodeRecord(enc.encode('{"id":6}'), enc.encode('not json')))).toBe(DECODE_ERROR_CODES.NOT_JSON);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(errorCode(decodeRecord(enc.encode('{"id":6}'), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toBe(DECODE_ERROR_CODES.NOT_JSON);
  });

  it('rejects a key that is not JSON, or not the primary key', () => {
    expect(errorCode(decodeRecord(enc.encode('{'), enc.encode(insert.value!)))).toBe(DECODE_ERROR_CODES.NOT_JSON);
    // A key of other columns than the row's, or of another value, does not identify the row.
    expect(errorCode(decodeJson({ order_id: 6 }, envelope))).toBe(DECODE_ERROR_CODES.KEY_MISMATCH);
    expect(errorCode(decodeJson({ id: '6' }, envelope))).toBe(DECODE_ERROR_CODES.KEY_MISMATCH);
    expect(errorCode(decodeJson({}, envelope))).toBe(DECODE_ERROR_CODES.BAD_KEY);
    expect(errorCode(decodeJson({ id: { nested: 1 } }, envelope))).toBe(DECODE_ERROR_CODES.BAD_KEY);
  });

  it('rejects a record with neither key nor value', () => {
    expect(errorCode(decodeRecord(null, null))).toBe(DECODE_ERROR_CODES.BAD_KEY);
  });

  it('rejects an id the JSON parser cannot hold exactly', () => {
    expect(errorCode(decodeRecord(enc.encode('{"id":9007199254740993}'), enc.encode(insert.value!)))).toBe(DECODE_ERROR_CODES.BAD_KEY);
  });

  it('rejects an envelope whose row breaks the table contract', () => {
    const badStatus = { ...envelope, after: { ...envelope['after'], status: 'lost' } };
    const floatAmount = { ...envelope, after: { ...envelope['after'], amount: 1234567890.12 } };
    const extraColumn = { ...envelope, after: { ...envelope['after'], secret: 'x' } };
    const missingSource = { ...envelope, source: undefined };
    for (const value of [badStatus, floatAmount, extraColumn, missingSource, [], 'string', 42, null]) {
      expect(errorCode(decodeJson({ id: 6 }, value))).toBe(DECODE_ERROR_CODES.BAD_ENVELOPE);
    }
  });

  it('rejects an op whose before/after do not fit it', () => {
    expect(errorCode(decodeJson({ id: 6 }, { ...envelope, op: 'd' }))).toBe(DECODE_ERROR_CODES.BAD_ENVELOPE);
    expect(errorCode(decodeJson({ id: 6 }, { ...envelope, op: 'c', before: envelope['after'] }))).toBe(DECODE_ERROR_CODES.BAD_ENVELOPE);
  });

  it('rejects ops it does not apply', () => {
    expect(errorCode(decodeJson({ id: 6 }, { ...envelope, op: 'm' }))).toBe(DECODE_ERROR_CODES.UNSUPPORTED_OP);
  });

  it('rejects a key that names another row', () => {
    expect(errorCode(decodeJson({ id: 7 }, envelope))).toBe(DECODE_ERROR_CODES.KEY_MISMATCH);
  });

  it('rejects a garbled source.sequence', () => {
    const garbled = { ...envelope, source: { ...envelope['source'], sequence: '[1,2' } };
    expect(errorCode(decodeJson({ id: 6 }, garbled))).toBe(DECODE_ERROR_CODES.BAD_ENVELOPE);
  });

  it('refuses a truncate event: orders cannot be truncated, so one in the topic is not to be applied', () => {
    const truncate = { before: null, after: null, source: envelope['source'], op: 't' };
    expect(errorCode(decodeRecord(null, enc.encode(JSON.stringify(truncate))))).toBe(DECODE_ERROR_CODES.UNSUPPORTED_OP);
    expect(errorCode(decodeRecord(enc.encode('{"id":1}'), enc.encode(JSON.stringify(truncate))))).toBe(DECODE_ERROR_CODES.UNSUPPORTED_OP);
  });

  it('refuses ops named like Object.prototype members', () => {
    for (const op of ['constructor', 'toString', '__proto__']) {
      expect(errorCode(decodeJson({ id: 6 }, { ...envelope, op }))).toBe(DECODE_ERROR_CODES.UNSUPPORTED_OP);
    }
  });
});
