import { describe, expect, it } from 'vitest';
import { OrdersLiveClient, type SocketLike } from '@orders-live/client';
import type { RowFilter } from '@orders-live/protocol';
import { LiveConnection } from './live-connection.js';

class FakeSocket implements SocketLike {
  readonly sent: unknown[] = [];
  closed = false;
  readonly #listeners = new Map<string, ((event: never) => void)[]>();
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  fire(type: 'open'): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as (event: unknown) => void)(undefined);
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const shown: string[] = [];
  const connection = new LiveConnection({
    createClient: (filter: RowFilter | undefined) =>
      new OrdersLiveClient(
        { url: 'ws://orders.test/ws', filter },
        {
          createSocket: () => {
            const socket = new FakeSocket();
            sockets.push(socket);
            return socket;
          },
          setTimeout: () => 0,
          clearTimeout: () => {},
          now: () => 0,
          random: () => 0.5,
        },
      ),
    show: (client) => {
      const name = `client ${shown.filter((line) => line.startsWith('show')).length + 1}`;
      shown.push(`show ${name}`);
      const off = client.on('state', (state) => shown.push(`${name} ${state.name}`));
      return () => {
        off();
        shown.push(`unshow ${name}`);
      };
    },
  });
  return { connection, sockets, shown };
}

describe('LiveConnection', () => {
  it('subscribes with the filter, and replaces the subscription when the filter changes', () => {
    const { connection, sockets, shown } = setup();
    const first = connection.start(undefined);
    sockets[0]!.fire('open');
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders' }]);

    const second = connection.start({ status: { eq: 'shipped' } });
    expect(first.state).toEqual({ name: 'offline', reason: 'closed' });
    expect(sockets[0]!.closed).toBe(true);
    expect(connection.client).toBe(second);
    sockets[1]!.fire('open');
    expect(sockets[1]!.sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders', filter: { status: { eq: 'shipped' } } }]);
    // The closing client is no longer shown when it goes offline: the page shows the new one only.
    expect(shown).toEqual(['show client 1', 'client 1 connecting', 'unshow client 1', 'show client 2', 'client 2 connecting']);
  });

  it("hands the network's state to the next client", () => {
    const { connection, sockets } = setup();
    connection.start(undefined);
    connection.setNetworkOnline(false);
    const next = connection.start({ status: { eq: 'pending' } });
    expect(next.state).toEqual({ name: 'offline', reason: 'network' });
    expect(sockets).toHaveLength(1);
    connection.setNetworkOnline(true);
    expect(next.state).toEqual({ name: 'connecting' });
    expect(sockets).toHaveLength(2);
  });
});
