import { describe, expect, it } from 'vitest';
import { REPLAY_SLACK_MS, hopsOf } from './hops.js';

describe('hopsOf', () => {
  it('splits commit → screen into its hops', () => {
    expect(hopsOf({ commitTime: 1_000, kafkaTime: 1_012, sentAt: 1_015 }, 1_030, 500)).toEqual({
      commitToKafkaMs: 12,
      kafkaToServiceMs: 3,
      serviceToScreenMs: 15,
      totalMs: 30,
      replay: false,
    });
  });

  it('calls a change that was in Kafka before this connection was greeted a replay', () => {
    expect(hopsOf({ commitTime: 1_000, kafkaTime: 1_010, sentAt: 60_000 }, 60_010, 60_000).replay).toBe(true);
    expect(hopsOf({ commitTime: 1_000, kafkaTime: 60_000 - REPLAY_SLACK_MS + 1, sentAt: 60_001 }, 60_010, 60_000).replay).toBe(false);
    expect(hopsOf({ commitTime: 1_000, kafkaTime: 1_010, sentAt: 60_000 }, 60_010, undefined).replay).toBe(false);
  });
});
