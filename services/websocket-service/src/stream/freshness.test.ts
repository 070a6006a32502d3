import { describe, expect, it } from 'vitest';
import { freshnessReport, type FreshnessObservations } from './freshness.js';

const NOW = 100_000;
const running = { reachable: true as const, connector: 'RUNNING', tasks: ['RUNNING'], trace: undefined, runningSince: 0 };
const observed = (over: Partial<FreshnessObservations> = {}): FreshnessObservations => ({
  watermark: NOW - 1_000,
  startedAt: 0,
  fetchAgeMs: 500,
  connector: running,
  transactionTopicExists: true,
  receiving: null,
  catchingUp: null,
  ...over,
});
const report = (over: Partial<FreshnessObservations> = {}) => freshnessReport(observed(over), NOW);

describe('freshnessReport', () => {
  it('is fresh while the watermark is recent', () => {
    expect(report()).toMatchObject({ state: 'fresh', code: 'FRESH', upTo: NOW - 1_000, at: NOW, stalled: null });
  });

  it('is unknown before any watermark, never fresh', () => {
    expect(report({ watermark: null, startedAt: NOW - 1_000 })).toMatchObject({ state: 'unknown', code: 'NO_WATERMARK' });
  });

  it.each([
    ['Kafka, when its fetches stopped', { fetchAgeMs: 5_000 }, 'kafka', 'KAFKA_STOPPED'],
    ['the service, while this replica catches up', { catchingUp: 20_000 }, 'service', 'CATCHING_UP'],
    [
      'Connect, when it does not answer',
      { connector: { reachable: false as const, reason: 'fetch failed' } },
      'connect',
      'CONNECT_STOPPED',
    ],
    [
      'Connect, while its task is not running',
      { connector: { ...running, tasks: ['FAILED'], runningSince: undefined } },
      'connect',
      'CONNECT_STOPPED',
    ],
    [
      'Connect, while it resumes the stream after a restart',
      { connector: { ...running, runningSince: NOW - 5_000 } },
      'connect',
      'CONNECT_STOPPED',
    ],
    ['Postgres, when Connect runs but no heartbeat commits', {}, 'postgres', 'POSTGRES_STOPPED'],
    ['Connect or Postgres, without CONNECT_URL', { connector: undefined }, 'connect', 'SOURCE_STOPPED'],
  ])('names %s', (_name, over, hop, code) => {
    const r = report({ watermark: NOW - 10_000, ...over });
    expect(r).toMatchObject({ state: 'stale', code, stalled: { hop, code } });
  });

  it('says a large transaction is arriving, not that a hop stopped, while its events keep coming', () => {
    const receiving = { txId: 7, events: 42_000, expected: 100_000, heldForMs: 6_000, quietForMs: 100 };
    expect(report({ watermark: NOW - 8_000, receiving })).toMatchObject({
      state: 'stale',
      code: 'RECEIVING_TRANSACTION',
      stalled: null,
      receiving: { events: 42_000, expected: 100_000 },
    });
    // Its events stopped coming: a hop did stop.
    expect(report({ watermark: NOW - 8_000, receiving: { ...receiving, quietForMs: 5_000 } })).toMatchObject({ code: 'POSTGRES_STOPPED' });
  });
});
