/**
 * The I/O side of upgrade-access.ts: takes every HTTP upgrade of the server, decides it, and either
 * writes the refusal (401/403, before any WebSocket exists) or hands the request to `ws` and the
 * new socket, with what its token grants, to the hub.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ConnectionAccess } from './access.js';
import type { Logger } from '../logger.js';
import { decideUpgrade, refusalResponse, type UpgradePolicy } from './upgrade-access.js';

interface UpgradeGateDeps {
  readonly server: Server;
  /** Created with noServer: true; its `path` option says which URLs are WebSocket endpoints. */
  readonly wss: WebSocketServer;
  readonly policy: UpgradePolicy;
  readonly now: () => number;
  readonly log: Logger;
  /** Counts refusals by reason (origin, or the token refusal). */
  readonly onRefused: (reason: string) => void;
  readonly accept: (socket: WebSocket, access: ConnectionAccess) => void;
}

export function attachUpgradeGate(deps: UpgradeGateDeps): void {
  const { server, wss, policy, now, log } = deps;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Another path: ws answers 400 itself, without looking at tokens.
    if (!wss.shouldHandle(request)) {
      wss.handleUpgrade(request, socket, head, () => undefined);
      return;
    }
    // Until ws takes the socket, a reset by the client would otherwise be an unhandled 'error'.
    const onError = (err: Error) => log.debug({ err }, 'socket error during the upgrade check');
    socket.on('error', onError);
    decideUpgrade(request, policy, now()).then(
      (decision) => {
        if (socket.destroyed) return;
        if (!decision.ok) {
          deps.onRefused(decision.reason);
          log.debug({ status: decision.status, reason: decision.reason }, 'WebSocket upgrade refused');
          socket.once('finish', () => socket.destroy());
          socket.end(refusalResponse(decision));
          return;
        }
        socket.off('error', onError); // ws listens from here on
        wss.handleUpgrade(request, socket, head, (webSocket) => deps.accept(webSocket, decision.access));
      },
      (err: unknown) => {
        log.error({ err }, 'WebSocket upgrade check failed');
        socket.destroy();
      },
    );
  });
}
