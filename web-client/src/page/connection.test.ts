import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '@orders-live/protocol';
import { CONNECT_TIMEOUT_MS, Connection, type ConnectionState, type SocketHandlers } from './connection.js';

const URL = 'ws://orders.test/ws';

/** A socket the test drives: it opens, speaks and closes when told to. */
class FakeSocket {
  readonly sent: string[] = [];
  closedWith: number | undefined;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(text: string): void {
    this.sent.push(text);
  }
  close(code: number): void {
    this.closedWith = code;
  }
}

function setup(options: { random?: number; throwOnOpen?: boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const messages: unknown[] = [];
  const connection = new Connection(
    URL,
    {
      openSocket: (url, handlers) => {
        if (options.throwOnOpen) throw new SyntaxError('bad url');
        const socket = new FakeSocket(url, handlers);
        sockets.push(socket);
        return socket;
      },
      schedule: (run, delayMs) => {
        const timer = setTimeout(run, delayMs);
        return () => clearTimeout(timer);
      },
      random: () => options.random ?? 0,
    },
    {
      onState: (state) => states.push(state),
      onOpen: (send) => send('subscribe'),
      onMessage: (data) => messages.push(data),
    },
  );
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  };
  return { connection, sockets, states, messages, last };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Connection', () => {
  it('connects, subscribes on open, and passes messages on', () => {
    const { connection, states, messages, last } = setup();
    connection.start();
    expect(states).toEqual(['connecting']);
    expect(last().url).toBe(URL);

    last().handlers.onOpen();
    expect(states).toEqual(['connecting', 'live']);
    expect(last().sent).toEqual(['subscribe']);

    last().handlers.onMessage('{"type":"heartbeat","cursor":"0:1"}');
    expect(messages).toEqual(['{"type":"heartbeat","cursor":"0:1"}']);
  });

  it('reconnects after a close, with a new socket that subscribes again', () => {
    const { connection, sockets, states, last } = setup();
    connection.start();
    last().handlers.onOpen();
    last().handlers.onClose(CLOSE_CODES.GOING_AWAY, 'restarting');
    expect(states.at(-1)).toBe('reconnecting');

    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(connection.state).toBe('reconnecting');

    last().handlers.onOpen();
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(last().sent).toEqual(['subscribe']);
  });

  it('backs off exponentially while the server refuses, up to the maximum', () => {
    const { connection, sockets, last } = setup({ random: 0.999999 });
    connection.start();
    const waits: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      last().handlers.onClose(1006, '');
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('starts the backoff over once a server sends something', () => {
    const { connection, sockets, last } = setup();
    connection.start();
    for (let i = 0; i < 3; i += 1) {
      last().handlers.onClose(1006, '');
      vi.runOnlyPendingTimers();
    }
    last().handlers.onOpen();
    last().handlers.onMessage('{}');
    last().handlers.onClose(1006, '');
    const before = sockets.length;
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(before + 1);
  });

  it('gives up on a socket that never opens and tries again', () => {
    const { connection, sockets, states } = setup();
    connection.start();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS);
    expect(sockets[0]?.closedWith).toBe(CLOSE_CODES.NORMAL);
    expect(states).toEqual(['connecting', 'reconnecting']);
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(2);
  });

  it('goes offline on stop(): closes the socket, ignores its late events, stops retrying', () => {
    const { connection, sockets, states, messages } = setup();
    connection.start();
    const socket = sockets[0]!;
    socket.handlers.onOpen();
    connection.stop();
    expect(states.at(-1)).toBe('offline');
    expect(socket.closedWith).toBe(CLOSE_CODES.NORMAL);

    socket.handlers.onMessage('late');
    socket.handlers.onClose(1000, '');
    vi.advanceTimersByTime(60_000);
    expect(messages).toEqual([]);
    expect(sockets).toHaveLength(1);
    expect(connection.state).toBe('offline');

    connection.start();
    expect(states.at(-1)).toBe('connecting');
    expect(sockets).toHaveLength(2);
  });

  it('keeps retrying when the socket cannot even be created', () => {
    const { connection, states } = setup({ throwOnOpen: true });
    connection.start();
    expect(states).toEqual(['connecting', 'reconnecting']);
    vi.advanceTimersByTime(60_000);
    expect(connection.state).toBe('reconnecting');
  });
});
