/**
 * Where the time went on the way to the screen, per transaction: commit → Kafka → service → screen,
 * from the instants a diff frame carries (docs/protocol.md, Hop times) and the frame it was painted
 * in. Pure.
 *
 * A replay is not latency: a transaction whose record was in Kafka before this page's connection
 * was greeted (it reaches us because we were away, or the service was catching up) is marked
 * `replay` and kept out of the latency figures, so an outage does not read as a slow pipeline.
 */
interface HopTimes {
  readonly commitTime: number;
  readonly kafkaTime: number;
  readonly sentAt: number;
}

export interface Hops {
  readonly commitToKafkaMs: number;
  readonly kafkaToServiceMs: number;
  readonly serviceToScreenMs: number;
  /** commit → screen: the three hops together. */
  readonly totalMs: number;
  readonly replay: boolean;
}

/**
 * A record older than the greeting by more than this is a replay; the slack covers a change that was
 * in flight while the socket opened (it is live, only just).
 */
export const REPLAY_SLACK_MS = 1_000;

/** `greetedAt`: when the connection that delivered it was greeted (epoch ms); undefined: unknown. */
export function hopsOf(times: HopTimes, shownAt: number, greetedAt: number | undefined): Hops {
  // Not clamped: a negative hop is news too (two clocks disagree).
  return {
    commitToKafkaMs: times.kafkaTime - times.commitTime,
    kafkaToServiceMs: times.sentAt - times.kafkaTime,
    serviceToScreenMs: shownAt - times.sentAt,
    totalMs: shownAt - times.commitTime,
    replay: greetedAt !== undefined && times.kafkaTime < greetedAt - REPLAY_SLACK_MS,
  };
}
