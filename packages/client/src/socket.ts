/**
 * The least a WebSocket must offer the client. The browser's `WebSocket` and the `ws` package's
 * `WebSocket` both fit as they are (`createSocket: (url, protocols) => new WebSocket(url, protocols)`):
 * both have `addEventListener`, and `ws` hands text frames to `message` listeners as strings, as
 * browsers do.
 */

/** What the client reads from a `message` event: a string for a text frame, anything else is not a frame. */
export interface SocketMessageEvent {
  readonly data: unknown;
}

export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: SocketMessageEvent) => void): void;
  /** Fires once however the socket ended (refused, failed, closed by either side). */
  addEventListener(type: 'close', listener: (event: SocketCloseEvent) => void): void;
  /** Always followed by `close`, which is what the client acts on. */
  addEventListener(type: 'error', listener: () => void): void;
}

/**
 * Opens a socket to `url`, asking for `protocols` when given (with an access token:
 * ["bearer", token], see packages/protocol/src/access.ts); without a token the client passes none.
 * May throw (a URL the browser refuses): the client counts it as a failed attempt.
 */
export type CreateSocket = (url: string, protocols?: string[]) => SocketLike;
