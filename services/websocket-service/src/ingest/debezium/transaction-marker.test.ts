import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTransactionMarker } from './transaction-marker.js';

const enc = new TextEncoder();
const fixture = (name: string) =>
  enc.encode((JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as { value: string }).value);

describe('decodeTransactionMarker on markers recorded from the native stack', () => {
  it('decodes BEGIN: the txId before the colon, no counts', () => {
    const result = decodeTransactionMarker(fixture('transaction-begin'));
    expect(result).toEqual({ ok: true, marker: { status: 'BEGIN', txId: 1340, timeMs: expect.any(Number), eventCounts: new Map() } });
  });

  it('decodes END with its events per table and its commit time', () => {
    const result = decodeTransactionMarker(fixture('transaction-end'));
    expect(result).toEqual({
      ok: true,
      marker: { status: 'END', txId: 1340, timeMs: 1796654564565, eventCounts: new Map([['public.orders', 2]]) },
    });
  });

  it('decodes a marker written with schemas disabled (a bare payload)', () => {
    const value = {
      status: 'END',
      id: '7:100',
      ts_ms: 5,
      event_count: 1,
      data_collections: [{ data_collection: 'public.orders_heartbeat', event_count: 1 }],
    };
    const result = decodeTransactionMarker(enc.encode(JSON.stringify(value)));
    expect(result.ok && result.marker.eventCounts.get('public.orders_heartbeat')).toBe(1);
  });

  it.each([
    ['no value', null, 'DBZ_BAD_ENVELOPE'],
    ['not JSON', enc.encode('{'), 'DBZ_NOT_JSON'],
    ['an id without a txId', enc.encode(JSON.stringify({ status: 'END', id: 'abc', ts_ms: 1 })), 'DBZ_BAD_ENVELOPE'],
    ['an unknown status', enc.encode(JSON.stringify({ status: 'ABORT', id: '1:2', ts_ms: 1 })), 'DBZ_BAD_ENVELOPE'],
  ])('refuses %s with a stable code', (_name, bytes, code) => {
    const result = decodeTransactionMarker(bytes);
    expect(result.ok ? undefined : result.error.code).toBe(code);
  });
});
