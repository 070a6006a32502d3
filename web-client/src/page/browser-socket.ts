/** The browser's WebSocket behind the small `OpenSocket` interface the connection uses. */
import type { OpenSocket } from './connection.js';

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => handlers.onOpen());
  socket.addEventListener('message', (event: MessageEvent<unknown>) => handlers.onMessage(event.data));
  // A failed or refused socket fires `error` then `close`; `close` alone drives reconnecting.
  socket.addEventListener('close', (event) => handlers.onClose(event.code, event.reason));
  return {
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
  };
};
