/**
 * The median of each hop (commit → Kafka → service → screen) over the chart's last minute, for its
 * caption. Pure: times are passed in. Replays are not recorded (hops.ts).
 */
import type { Hops } from '../live/hops.js';
import { median, RATE_WINDOW_SECONDS } from './rate-stats.js';

/** Transactions kept: a minute of a busy page, bounded. */
const MAX_HOP_SAMPLES = 2_000;

interface HopMedians {
  readonly commitToKafkaMs: number;
  readonly kafkaToServiceMs: number;
  readonly serviceToScreenMs: number;
  readonly totalMs: number;
  readonly samples: number;
}

export class HopStats {
  #samples: { readonly at: number; readonly hops: Hops }[] = [];

  record(at: number, hops: Hops): void {
    if (hops.replay) return;
    this.#samples.push({ at, hops });
    if (this.#samples.length > MAX_HOP_SAMPLES) this.#samples.splice(0, this.#samples.length - MAX_HOP_SAMPLES);
  }

  medians(now: number): HopMedians | undefined {
    const since = now - RATE_WINDOW_SECONDS * 1_000;
    this.#samples = this.#samples.filter((sample) => sample.at > since);
    if (this.#samples.length === 0) return undefined;
    const of = (pick: (hops: Hops) => number) => median(this.#samples.map((sample) => pick(sample.hops)))!;
    return {
      commitToKafkaMs: of((h) => h.commitToKafkaMs),
      kafkaToServiceMs: of((h) => h.kafkaToServiceMs),
      serviceToScreenMs: of((h) => h.serviceToScreenMs),
      totalMs: of((h) => h.totalMs),
      samples: this.#samples.length,
    };
  }
}
