/** The subscribe frame both kinds of subscription send: optional parts left out when absent. Pure. */
import { type SubscriptionFilter, type SubscribeFrame, type WindowQuery } from '@orders-live/protocol';

export function subscribeFrame(
  id: string,
  table: string,
  filter: SubscriptionFilter | undefined,
  window: WindowQuery | undefined,
  cursor: string | undefined,
): SubscribeFrame {
  return {
    type: 'subscribe',
    id,
    table,
    ...(window === undefined ? {} : { window }),
    ...(filter === undefined ? {} : { filter }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}
