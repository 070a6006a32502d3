import { describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '@orders-live/protocol';
import { CONNECT_TIMEOUT_MS } from './index.js';
import { live, setup, untilRetry, useFakeClock } from './client-harness.js';
import { resumed } from './fixtures.js';

useFakeClock();

describe('OrdersLiveClient with an access token', () => {
  it('opens with the protocol version alone when it has no token', () => {
    const { client, last } = setup();
    client.connect();
    expect(last().protocols).toEqual(['orders-live.v3']);
  });

  it('sends a string token as the bearer subprotocol on every socket', async () => {
    const { client, sockets, last } = setup({ token: 'tok.en.1' });
    client.connect();
    last().serverClose(1006);
    await untilRetry(client);
    expect(sockets.map((socket) => socket.protocols)).toEqual([
      ['orders-live.v3', 'bearer', 'tok.en.1'],
      ['orders-live.v3', 'bearer', 'tok.en.1'],
    ]);
    expect(client.state.name).toBe('connecting');
  });

  it('asks a token function before every (re)connect, synchronous or not', async () => {
    let issued = 0;
    const { client, sockets, last } = setup({ token: async () => `fresh-${++issued}` });
    client.connect();
    expect(sockets).toHaveLength(0);
    expect(client.state.name).toBe('connecting');
    await vi.advanceTimersByTimeAsync(0);
    expect(last().protocols).toEqual(['orders-live.v3', 'bearer', 'fresh-1']);
    last().serverClose(1006);
    await untilRetry(client);
    expect(sockets.map((socket) => socket.protocols)).toEqual([
      ['orders-live.v3', 'bearer', 'fresh-1'],
      ['orders-live.v3', 'bearer', 'fresh-2'],
    ]);
  });

  it('reconnects at once with a fresh token and resumes when the server closes with TOKEN_EXPIRED', () => {
    let issued = 0;
    const { client, sockets, last, names } = live({ token: () => `fresh-${++issued}` });
    last().serverClose(CLOSE_CODES.TOKEN_EXPIRED, 'access token expired');
    expect(sockets).toHaveLength(2);
    expect(last().protocols).toEqual(['orders-live.v3', 'bearer', 'fresh-2']);
    last().open();
    expect(last().sent).toEqual([{ type: 'subscribe', id: 'orders', table: 'orders', cursor: '0:10' }]);
    last().receive(resumed('0:10', 0));
    expect(names()).toEqual(['connecting', 'live', 'connecting', 'live']);
    expect(client.stats.resumes).toBe(1);
  });

  it('counts a token function that throws or rejects as a failed attempt, and tries again later', async () => {
    let calls = 0;
    const { client, sockets, names } = setup({
      token: () => {
        calls += 1;
        if (calls === 1) throw new Error('login service down');
        if (calls === 2) return Promise.reject(new Error('still down'));
        return 'finally';
      },
    });
    client.connect();
    expect(names()).toEqual(['connecting', 'reconnecting']);
    await untilRetry(client);
    expect(names()).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting']);
    await untilRetry(client);
    expect(calls).toBe(3);
    expect(sockets.map((socket) => socket.protocols)).toEqual([['orders-live.v3', 'bearer', 'finally']]);
  });

  it('gives up on a token function that never answers after the connect timeout', async () => {
    const { client, names } = setup({ token: () => new Promise<string>(() => undefined) });
    client.connect();
    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS);
    expect(names()).toEqual(['connecting', 'reconnecting']);
  });

  it('ignores a token that arrives after close()', async () => {
    let resolve: (token: string) => void = () => undefined;
    const { client, sockets } = setup({ token: () => new Promise<string>((done) => (resolve = done)) });
    client.connect();
    client.close();
    resolve('late');
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(0);
    expect(client.state).toEqual({ name: 'offline', reason: 'closed' });
  });
});
