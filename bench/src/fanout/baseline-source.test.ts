import { describe, expect, it } from 'vitest';
import { baselineSettings, decodeChange } from './baseline-source.js';

describe('decodeChange', () => {
  const envelope = {
    op: 'u',
    before: { id: 1, status: 'pending' },
    after: { id: 1, status: 'shipped' },
    source: { ts_ms: 1_700_000_000_123 },
  };
  const expected = { op: 'u', before: envelope.before, after: envelope.after, commitTime: 1_700_000_000_123 };

  it('takes the envelope from the payload when the value schema is embedded (the worker\u2019s setting)', () => {
    expect(decodeChange(Buffer.from(JSON.stringify({ schema: { type: 'struct' }, payload: envelope })))).toEqual(expected);
  });

  it('takes a bare envelope as it is', () => {
    expect(decodeChange(Buffer.from(JSON.stringify(envelope)))).toEqual(expected);
  });

  it('gives null for a tombstone', () => {
    expect(decodeChange(null)).toBeNull();
  });
});

describe('baselineSettings', () => {
  it('reads port, brokers and topic from the environment, with the native stack\u2019s defaults', () => {
    expect(baselineSettings({ PORT: '4100', KAFKA_BROKERS: 'a:1,b:2', KAFKA_TOPIC: 't' })).toEqual({
      port: 4100,
      brokers: ['a:1', 'b:2'],
      topic: 't',
    });
    expect(baselineSettings({})).toEqual({ port: 3100, brokers: ['127.0.0.1:19092'], topic: 'orders.public.orders' });
  });
});
