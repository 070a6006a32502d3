import { describe, expect, it } from 'vitest';
import type { HeardFreshness } from '@orders-live/client';
import { freshnessView } from './freshness-view.js';

const clock = (ms: number) => `t${ms}`;
const heard = (over: Partial<HeardFreshness> = {}): HeardFreshness => ({
  state: 'fresh',
  code: 'FRESH',
  upTo: 9_000,
  at: 10_000,
  stalled: null,
  receiving: null,
  heardAt: 10_000,
  ...over,
});

describe('freshnessView', () => {
  it('says nothing while not live (the connection state says it)', () => {
    expect(freshnessView(false, heard(), 0, 10_000, clock)).toEqual({ pill: undefined, state: undefined, line: undefined });
  });

  it('says live and up to when while the watermark is fresh', () => {
    expect(freshnessView(true, heard(), 0, 10_500, clock)).toEqual({
      pill: 'live · up to date as of t9000',
      state: 'live',
      line: undefined,
    });
  });

  it('names the hop the server says stopped, and what the table shows', () => {
    const view = freshnessView(
      true,
      heard({
        state: 'stale',
        code: 'CONNECT_STOPPED',
        stalled: { hop: 'connect', code: 'CONNECT_STOPPED', reason: 'Kafka Connect does not answer' },
      }),
      0,
      10_500,
      clock,
    );
    expect(view).toEqual({
      pill: 'stale',
      state: 'stale',
      line: 'Kafka Connect (Debezium) has stopped: the table shows what was committed up to t9000; later changes will appear when it is back (Kafka Connect does not answer).',
    });
  });

  it('calls the live server stopped when no freshness frame came for 3 s on an open socket', () => {
    const view = freshnessView(true, heard(), 0, 13_001, clock);
    expect(view.state).toBe('stale');
    expect(view.line).toMatch(/^The live server has stopped: .*sent nothing for 3 s/);
    // Never heard from at all since it went live, likewise.
    expect(freshnessView(true, undefined, 0, 3_001, clock).state).toBe('stale');
  });

  it('says a large transaction is arriving, behind but not stopped', () => {
    const view = freshnessView(
      true,
      heard({ state: 'stale', code: 'RECEIVING_TRANSACTION', receiving: { events: 9_691, expected: 60_000, heldForMs: 3_000 } }),
      0,
      10_100,
      clock,
    );
    expect(view).toEqual({
      pill: 'receiving a transaction',
      state: 'behind',
      line: 'Receiving a transaction: 9,691 of 60,000 changes so far; it shows once it is whole.',
    });
  });

  it('says the live server is catching up, not that it stopped', () => {
    const stalled = {
      hop: 'service' as const,
      code: 'CATCHING_UP',
      reason: 'this replica is catching up with the topic (20,123 records to read)',
    };
    const view = freshnessView(true, heard({ state: 'stale', code: 'CATCHING_UP', stalled }), 0, 10_100, clock);
    expect(view.state).toBe('behind');
    expect(view.line).toBe(
      'The live server is catching up: the table shows what was committed up to t9000 (this replica is catching up with the topic (20,123 records to read)).',
    );
  });

  it('tells a transaction still arriving', () => {
    const view = freshnessView(true, heard({ receiving: { events: 42_000, expected: 100_000, heldForMs: 900 } }), 0, 10_100, clock);
    expect(view.line).toBe('Receiving a transaction: 42,000 of 100,000 changes so far; it shows once it is whole.');
  });

  it('never calls it up to date when the server cannot tell', () => {
    const view = freshnessView(true, heard({ state: 'unknown', code: 'NO_WATERMARK', upTo: null }), 0, 10_100, clock);
    expect(view.pill).toBe('live');
    expect(view.line).toMatch(/cannot tell how fresh/);
  });
});
