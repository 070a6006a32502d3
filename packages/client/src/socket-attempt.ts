/**
 * One attempt at a connection: get the token (a string, or a function that may return a promise),
 * open the socket with the protocol's subprotocol (and the token after `bearer`), and report what
 * happens to it. An attempt the client has let go (`current()` false) reports nothing more.
 */
import { BEARER_SUBPROTOCOL, CLOSE_CODES, PROTOCOL_SUBPROTOCOL } from '@orders-live/protocol';
import type { OrdersLiveClientOptions } from './client-options.js';
import type { CreateSocket, SocketLike } from './socket.js';

/** No socket while the token is fetched; `subscribed` once it opened and the subscribe was sent. */
export interface Attempt {
  socket: SocketLike | undefined;
  subscribed: boolean;
}

export interface AttemptEvents {
  /** Whether the client still follows this attempt. */
  current(): boolean;
  opened(socket: SocketLike): void;
  message(data: unknown): void;
  /** The socket closed (`code`), or never came (undefined: the token failed; NORMAL: the factory threw). */
  ended(code: number | undefined): void;
}

export function startAttempt(
  options: Pick<OrdersLiveClientOptions, 'url' | 'token'>,
  deps: { readonly createSocket: CreateSocket },
  events: AttemptEvents,
): Attempt {
  const { url, token } = options;
  const attempt: Attempt = { socket: undefined, subscribed: false };
  const open = (value: string | undefined) => {
    let socket: SocketLike;
    try {
      socket = deps.createSocket(url, value === undefined ? [PROTOCOL_SUBPROTOCOL] : [PROTOCOL_SUBPROTOCOL, BEARER_SUBPROTOCOL, value]);
    } catch {
      // e.g. a URL the browser refuses: retried with backoff rather than stop without a word.
      events.ended(CLOSE_CODES.NORMAL);
      return;
    }
    attempt.socket = socket;
    socket.addEventListener('open', () => {
      if (events.current()) events.opened(socket);
    });
    socket.addEventListener('message', (event) => {
      if (events.current()) events.message(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (events.current()) events.ended(event.code);
    });
    socket.addEventListener('error', () => {
      // Always followed by `close`, which decides what happens next.
    });
  };
  if (token === undefined || typeof token === 'string') {
    open(token);
    return attempt;
  }
  let got: string | Promise<string>;
  try {
    got = token();
  } catch {
    events.ended(undefined);
    return attempt;
  }
  if (typeof got === 'string') open(got);
  else
    got.then(
      (value) => {
        if (events.current()) open(value);
      },
      () => {
        if (events.current()) events.ended(undefined);
      },
    );
  return attempt;
}
