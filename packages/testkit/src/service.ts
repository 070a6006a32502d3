/**
 * Runs the built websocket-service as a real process (so a test can kill -9 it), waits for /readyz.
 * Requires `npm run build` first (npm test does it).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { REPO_ROOT } from './env-file.js';
import type { StackEndpoints } from './stack.js';
import { startNodeProcess, type NodeProcess } from './node-process.js';

/** Catching up with the topic takes a second or two here; generous for a loaded CI machine (in-process apps too). */
export const SERVICE_READY_TIMEOUT_MS = 60_000;

/**
 * A free port below Linux's ephemeral range (32768–60999 by default), for a server that will be
 * restarted on the same port: a port from the ephemeral range may be taken meanwhile by some
 * outgoing connection's local end.
 */
export async function restartablePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000–31999');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The built service's entry point. */
export const SERVICE_MAIN = `${REPO_ROOT}services/websocket-service/dist/main.js`;

export interface ServiceProcessOptions {
  /** Merged over PORT, HOST, KAFKA_BROKERS, CONNECT_URL and LOG_LEVEL=warn. */
  readonly env?: Record<string, string>;
  /** A fixed port (to restart on the same one); a free one by default. */
  readonly port?: number;
  readonly readyTimeoutMs?: number;
  readonly nodeArgs?: readonly string[];
  readonly onStderrLine?: (line: string) => void;
  readonly readyPollMs?: number;
}

export interface ServiceProcess extends NodeProcess {
  readonly port: number;
  readonly wsUrl: string;
  readonly httpUrl: string;
}

export async function startServiceProcess(stack: StackEndpoints, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  if (!existsSync(SERVICE_MAIN)) throw new Error(`${SERVICE_MAIN} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const httpUrl = `http://127.0.0.1:${port}`;
  const started = await startNodeProcess({
    name: `websocket-service on ${port}`,
    main: SERVICE_MAIN,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      // Lets the service tell a stopped Connect from a stopped Postgres (freshness).
      CONNECT_URL: stack.connectUrl,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    readyUrl: `${httpUrl}/readyz`,
    readyTimeoutMs: options.readyTimeoutMs ?? SERVICE_READY_TIMEOUT_MS,
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    ...(options.onStderrLine ? { onStderrLine: options.onStderrLine } : {}),
    ...(options.readyPollMs ? { readyPollMs: options.readyPollMs } : {}),
  });
  return { ...started, port, httpUrl, wsUrl: `ws://127.0.0.1:${port}/ws` };
}
