/** Whether the stream a replica follows is whole: the gaps it has, as /readyz and stream-status frames report them. */
import * as z from 'zod';

/** A hole in the stream: a record of the topic that did not decode (docs/protocol.md). */
export const streamGapSchema = z.strictObject({
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  /** The decoder's stable code (DBZ_*). */
  code: z.string(),
  reason: z.string(),
  /** The row the record was for ("id=42"), or a note that its key did not decode. */
  row: z.string(),
  /** When the record was read, epoch ms. */
  at: z.number(),
});

/** What /readyz reports as `degraded`: null while the stream has no hole. */
export const degradedReportSchema = z.strictObject({
  code: z.literal('STREAM_GAP'),
  reason: z.string(),
  openGaps: z.number().int().nonnegative(),
  /** The first gaps (all are counted in openGaps). */
  gaps: z.array(streamGapSchema).readonly(),
});
export type DegradedReport = z.infer<typeof degradedReportSchema>;

/**
 * Whether the stream this replica follows is whole: sent once a connection opens (after welcome)
 * and whenever that changes. While `degraded` is not null, the rows it names may be stale.
 */
export const streamStatusFrameSchema = z.strictObject({
  type: z.literal('stream-status'),
  degraded: degradedReportSchema.nullable(),
});
export type StreamStatusFrame = z.infer<typeof streamStatusFrameSchema>;
