import { describe, expect, it } from 'vitest';
import { hopSummaries, incomplete, type ChangeTiming } from './report.js';

// A change committed at t=1000 ms, written to Kafka at 1010, fetched at 1012, at the first client at
// 1015 and at the last at 1020 (times in µs where the fleet and Postgres give µs).
const timing = (shiftMs: number, clients = 3): ChangeTiming => ({
  commitUs: (1_000 + shiftMs) * 1_000,
  recordMs: 1_010 + shiftMs,
  tappedUs: (1_012 + shiftMs) * 1_000,
  firstUs: (1_015 + shiftMs) * 1_000,
  lastUs: (1_020 + shiftMs) * 1_000,
  clients,
});

describe('hopSummaries', () => {
  it('splits commit → last client into its hops', () => {
    const hops = hopSummaries([timing(0), timing(5)]);
    expect(hops.commitToKafka.p50).toBe(10);
    expect(hops.kafkaToConsumer.p50).toBe(2);
    expect(hops.consumerToFirstClient.p50).toBe(3);
    expect(hops.firstToLastClient.p50).toBe(5);
    expect(hops.commitToLastClient.p50).toBe(20);
  });

  it('leaves changes no client received out of the client hops', () => {
    const hops = hopSummaries([timing(0), { ...timing(1), clients: 0, firstUs: 0, lastUs: 0 }]);
    expect(hops.commitToKafka.count).toBe(2);
    expect(hops.commitToLastClient.count).toBe(1);
  });
});

describe('incomplete', () => {
  it('counts changes that missed some or all clients', () => {
    expect(incomplete([timing(0, 3), timing(1, 2), timing(2, 0)], 3)).toEqual({ partial: 1, missing: 1 });
  });
});
