/**
 * Runs the built websocket-service as a real process (so a test can kill -9 it), waits for /readyz.
 * Requires `npm run build` first (npm test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT } from './env-file.js';
import type { StackEndpoints } from './stack.js';
import { waitFor } from './wait.js';

/** Catching up with the topic takes a second or two here; generous for a loaded CI machine. */
const SERVICE_READY_TIMEOUT_MS = 60_000;

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

export interface ServiceProcess {
  readonly port: number;
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly child: ChildProcess;
  /** SIGKILL: no goodbye to clients, no clean Kafka disconnect. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

export async function startServiceProcess(
  stack: StackEndpoints,
  env: Record<string, string> = {},
  port?: number,
  readyTimeoutMs = SERVICE_READY_TIMEOUT_MS,
): Promise<ServiceProcess> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, [`${REPO_ROOT}services/websocket-service/dist/main.js`], {
    env: { ...process.env, PORT: String(listenPort), HOST: '127.0.0.1', KAFKA_BROKERS: stack.kafkaBrokers.join(','), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://127.0.0.1:${listenPort}`;
  try {
    await waitFor(`websocket-service on ${listenPort} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`websocket-service exited with ${child.exitCode}`);
      return (await fetch(`${httpUrl}/readyz`)).ok;
    }, readyTimeoutMs);
  } catch (err) {
    // Never leave a process behind holding the port.
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  return {
    port: listenPort,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${listenPort}/ws`,
    child,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Reads one counter or gauge (summed over labels) from a Prometheus /metrics page. */
export async function metricValue(httpUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
