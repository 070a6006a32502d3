import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, cellText, exactText } from './cell-text.js';

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

describe('cellText', () => {
  it('shows numbers and decimals exactly, booleans as words, null as a dash', () => {
    expect(cellText({ kind: 'decimal' }, '1234.50')).toEqual({ text: '1234.50', title: undefined, null: false });
    expect(cellText({ kind: 'bigint' }, 9_007_199_254_740_991).text).toBe('9007199254740991');
    expect(cellText({ kind: 'boolean' }, false).text).toBe('false');
    expect(cellText({ kind: 'text' }, null)).toEqual({ text: '—', title: 'null', null: true });
    expect(cellText({ kind: 'text' }, undefined).text).toBe('');
  });

  it('reads instants in the zone given, with the exact value as the title; timestamps without a zone as they are', () => {
    const instant = cellText({ kind: 'timestamptz' }, '2025-01-02T03:04:05.123456Z', utc);
    expect(instant).toEqual({ text: utc.format(Date.UTC(2025, 0, 2, 3, 4, 5, 123)), title: '2025-01-02T03:04:05.123456Z', null: false });
    expect(cellText({ kind: 'timestamp' }, '2025-01-02T03:04:05.000001').text).toBe('2025-01-02 03:04:05.000001');
    expect(cellText({ kind: 'date' }, '2025-01-02').text).toBe('2025-01-02');
  });

  it('shows bytea as hex, json compactly, arrays in braces, and cuts long text', () => {
    expect(cellText({ kind: 'bytes' }, 'aGVsbG8=')).toEqual({ text: '\\x68656c6c6f', title: 'aGVsbG8=', null: false });
    expect(cellText({ kind: 'bytes' }, btoa('x'.repeat(20))).text).toMatch(/^\\x(78){16}… \(20 bytes\)$/);
    expect(cellText({ kind: 'json' }, '{"a": 1}').text).toBe('{"a": 1}');
    expect(cellText({ kind: 'array', elementKind: 'int' }, [1, null, 3])).toEqual({
      text: '{1, NULL, 3}',
      title: '[1,null,3]',
      null: false,
    });
    const long = cellText({ kind: 'text' }, 'y'.repeat(200));
    expect(long.text).toHaveLength(MAX_CELL_CHARS);
    expect(long.title).toBe('y'.repeat(200));
    expect(cellText({ kind: 'uuid' }, '0b9f6a4e-5d0c-4c3e-9d55-2c4a7b3f1e01').text).toBe('0b9f6a4e-5d0c-4c3e-9d55-2c4a7b3f1e01');
  });

  it('gives the exact value for data-value', () => {
    expect(exactText([1, 2])).toBe('[1,2]');
    expect(exactText(null)).toBe('null');
    expect(exactText(undefined)).toBeUndefined();
  });
});
