/** Client → server frames: subscribe (a table or a window of it, maybe resuming) and unsubscribe. */
import * as z from 'zod';
import { subscriptionFilterSchema } from './filter.js';
import { cursorSchema, subscriptionIdSchema } from './frame-fields.js';
import { windowQuerySchema } from './window-query.js';

export const subscribeFrameSchema = z.strictObject({
  type: z.literal('subscribe'),
  /** Chosen by the client; echoed on every frame of this subscription. */
  id: subscriptionIdSchema,
  table: z.string().max(64),
  /** Only rows matching this filter (see filter.ts); every column it names must exist. */
  filter: subscriptionFilterSchema.optional(),
  /** A window of the table instead of all of it (what a page shows). */
  window: windowQuerySchema.optional(),
  /** Resume: the last cursor the client has; the server sends only what follows it. */
  cursor: cursorSchema.optional(),
});
export type SubscribeFrame = z.infer<typeof subscribeFrameSchema>;

export const unsubscribeFrameSchema = z.strictObject({
  type: z.literal('unsubscribe'),
  id: subscriptionIdSchema,
});
export type UnsubscribeFrame = z.infer<typeof unsubscribeFrameSchema>;

export const clientFrameSchema = z.discriminatedUnion('type', [subscribeFrameSchema, unsubscribeFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
