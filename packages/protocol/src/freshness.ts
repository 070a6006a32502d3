/**
 * How fresh what a replica serves is (guarantee 8 of docs/architecture.md), as /readyz and `freshness` frames
 * report it. The watermark `upTo` is a commit time in Postgres: every transaction committed up to it
 * has reached this replica's clients. The connector stamps a heartbeat row every second, so while
 * every hop works `upTo` trails the clock by about a second; when it falls further behind, `stalled`
 * names the hop that stopped, as far as the replica can tell.
 */
import * as z from 'zod';

/** The hops between a commit and a page, in the order a change crosses them. */
export const PIPELINE_HOPS = ['postgres', 'connect', 'kafka', 'service'] as const;
export type PipelineHop = (typeof PIPELINE_HOPS)[number];

/** Stable codes of a stall (docs/protocol.md, "Freshness"). */
export const FRESHNESS_CODES = {
  /** The watermark is recent: every hop is moving. */
  FRESH: 'FRESH',
  /** No watermark yet, or no transaction topic (the connector gives no transaction metadata). */
  NO_WATERMARK: 'NO_WATERMARK',
  /** This replica's fetches from Kafka stopped completing. */
  KAFKA_STOPPED: 'KAFKA_STOPPED',
  /** Kafka Connect does not answer, or the connector's task is not running. */
  CONNECT_STOPPED: 'CONNECT_STOPPED',
  /** Connect runs the connector, yet no heartbeat commit comes through: Postgres (or its replication) stopped. */
  POSTGRES_STOPPED: 'POSTGRES_STOPPED',
  /** No heartbeat through the connector, and this replica cannot ask Kafka Connect which of it or Postgres stopped. */
  SOURCE_STOPPED: 'SOURCE_STOPPED',
  /** Told by a client, not a server: no freshness frame has come for a while on an open socket. */
  SERVICE_SILENT: 'SERVICE_SILENT',
  /** This replica is still reading its topic (at start-up, or after falling behind): hop `service`. */
  CATCHING_UP: 'CATCHING_UP',
  /** Behind, with nothing stopped: a large transaction is still arriving (`receiving`), and what committed after it waits behind it. */
  RECEIVING_TRANSACTION: 'RECEIVING_TRANSACTION',
} as const;

export const stallSchema = z.strictObject({
  hop: z.enum(PIPELINE_HOPS),
  code: z.string(),
  reason: z.string(),
});
export type Stall = z.infer<typeof stallSchema>;

export const freshnessSchema = z.strictObject({
  /** fresh: upTo is recent; stale: it fell behind (see stalled, or `receiving` when code is RECEIVING_TRANSACTION); unknown: no watermark to go by. */
  state: z.enum(['fresh', 'stale', 'unknown']),
  code: z.string(),
  /** Every commit up to this time (epoch ms, Postgres' clock) has reached this replica's clients; null until known. */
  upTo: z.number().nullable(),
  /** The replica's clock when it said so (epoch ms): `at - upTo` is how far behind it is. */
  at: z.number(),
  stalled: stallSchema.nullable(),
  /** A transaction still arriving, held until it is whole (its events so far, and what its END counts, once read). */
  receiving: z
    .strictObject({
      events: z.number().int().nonnegative(),
      expected: z.number().int().nonnegative().nullable(),
      heldForMs: z.number().nonnegative(),
    })
    .nullable(),
});
export type Freshness = z.infer<typeof freshnessSchema>;

/** Sent to every connection after welcome and every FRESHNESS_INTERVAL_MS; a page that hears none for a while knows the service stopped. */
export const freshnessFrameSchema = freshnessSchema.extend({ type: z.literal('freshness') });
export type FreshnessFrame = z.infer<typeof freshnessFrameSchema>;

/** How often a replica tells its clients how fresh it is. */
export const FRESHNESS_INTERVAL_MS = 1_000;
/** A watermark older than this (three missed heartbeats) is stale: a hop has stopped. */
export const FRESHNESS_STALE_AFTER_MS = 3_000;
