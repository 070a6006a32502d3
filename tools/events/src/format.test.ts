import { describe, expect, it } from 'vitest';
import { formatRecord, type RawRecord } from './format.js';

const at = (iso: string): string => String(Date.parse(iso));
const base: Omit<RawRecord, 'value'> = {
  topic: 'orders.public.orders',
  partition: 0,
  offset: '42',
  timestamp: at('2026-12-01T21:13:16.463Z'),
  key: '{"id":3}',
};
// As the connector writes them (schemas.enable=false, decimal.handling.mode=string), trimmed to a few columns.
const update = JSON.stringify({
  before: { id: 3, status: 'pending', quantity: 1, amount: '249.50' },
  after: { id: 3, status: 'shipped', quantity: 1, amount: '249.50' },
  source: {
    version: '3.4.3.Final',
    connector: 'postgresql',
    ts_ms: Date.parse('2026-12-01T21:13:16.021Z'),
    snapshot: 'false',
    db: 'shop',
    lsn: 26422144,
    txId: 812,
  },
  op: 'u',
  ts_ms: Date.parse('2026-12-01T21:13:16.400Z'),
});

describe('formatRecord', () => {
  it('shows where the record is, its key, op, source position and both images', () => {
    expect(formatRecord({ ...base, value: update })).toBe(
      [
        '── orders.public.orders  partition 0  offset 42  2026-12-01T21:13:16.463Z',
        '   key     {"id":3}',
        '   op      u  update',
        '   source  lsn 0/1932B80  txId 812  snapshot "false"  committed 2026-12-01T21:13:16.021Z',
        '   before  {"id":3,"status":"pending","quantity":1,"amount":"249.50"}',
        '   after   {"id":3,"status":"shipped","quantity":1,"amount":"249.50"}',
      ].join('\n'),
    );
  });

  it('names snapshot reads, creates and deletes', () => {
    const read = JSON.stringify({ before: null, after: { id: 1 }, source: { lsn: 1, txId: 2, snapshot: 'first' }, op: 'r' });
    expect(formatRecord({ ...base, value: read })).toContain('   op      r  read (snapshot)');
    expect(formatRecord({ ...base, value: read })).toContain('snapshot "first"');
    const created = JSON.stringify({ before: null, after: { id: 1 }, source: { lsn: 5, txId: 6, snapshot: 'false' }, op: 'c' });
    expect(formatRecord({ ...base, value: created })).toMatch(/op {6}c {2}create\n.*\n {3}before {2}null\n {3}after {3}\{"id":1\}$/);
    const deleted = JSON.stringify({ before: { id: 1 }, after: null, source: { lsn: 7, txId: 8, snapshot: 'false' }, op: 'd' });
    expect(formatRecord({ ...base, value: deleted })).toMatch(/op {6}d {2}delete[\s\S]*after {3}null$/);
  });

  it('says what a tombstone is instead of failing on it', () => {
    expect(formatRecord({ ...base, value: null })).toBe(
      [
        '── orders.public.orders  partition 0  offset 42  2026-12-01T21:13:16.463Z',
        '   key     {"id":3}',
        "   value   (tombstone: the key's row was deleted; compaction may now drop its older records)",
      ].join('\n'),
    );
  });

  it('shows whatever else arrives as it is', () => {
    expect(formatRecord({ ...base, key: null, value: 'not json' })).toContain('   key     (none)\n   value   (not a JSON object) not json');
    expect(formatRecord({ ...base, value: '[1,2]' })).toContain('(not a JSON object) [1,2]');
    // An LSN that is not a WAL position as Debezium gives it (a number) is shown as it came.
    const textLsn = JSON.stringify({ op: 'c', source: { lsn: '0/1932B80', txId: 1 }, before: null, after: { id: 1 } });
    expect(formatRecord({ ...base, value: textLsn })).toContain('source  lsn "0/1932B80"  txId 1');
    // An envelope with an embedded schema (schemas.enable=true) is unwrapped; missing fields are named.
    const withSchema = JSON.stringify({ schema: {}, payload: { op: 'x', after: { id: 1 } } });
    const text = formatRecord({ ...base, value: withSchema });
    expect(text).toContain('   op      x  unknown');
    expect(text).toContain('   source  (absent)');
    expect(text).toContain('   before  (absent)');
    expect(formatRecord({ ...base, timestamp: 'garbage', value: null })).toContain('offset 42  timestamp garbage');
  });
});
