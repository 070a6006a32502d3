/** The subscribe frame both kinds of subscription send: optional parts left out when absent. Pure. */
import { TABLES, type SubscriptionFilter, type SubscribeFrame, type WindowQuery } from '@orders-live/protocol';

export function subscribeFrame(
  id: string,
  filter: SubscriptionFilter | undefined,
  window: WindowQuery | undefined,
  cursor: string | undefined,
): SubscribeFrame {
  return {
    type: 'subscribe',
    id,
    table: TABLES[0],
    ...(window === undefined ? {} : { window }),
    ...(filter === undefined ? {} : { filter }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}
