/**
 * `npm start` as a user runs it, against the real stack (it calls stack/up.sh, which reuses the one the
 * integration tier already runs): it comes up, keeps the previous run's logs, and brings back what
 * dies — each service after a kill -9 (its health endpoint answers again, from a new process) and
 * Kafka Connect (the connector's task RUNNING again) — naming on the console what died; SIGTERM stops
 * the services cleanly and leaves the stack running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, connectorStatus, isRunning, stackEndpoints, waitFor } from '@orders-live/testkit';

/** Apart from npm start's own 3000–3002/8081 and the browser tests' 3910–3913, so all can run at once. */
const WEB_PORT = Number(process.env['START_TEST_WEB_PORT'] ?? 3920);
const WS_PORT = Number(process.env['START_TEST_WS_PORT'] ?? 3921);
const API_PORT = Number(process.env['START_TEST_API_PORT'] ?? 3922);
const ADMINER_PORT = Number(process.env['START_TEST_ADMINER_PORT'] ?? 3923);

const STACK_DIR = process.env['STACK_DIR'] ?? `${REPO_ROOT}.stack`;
const LOG_DIR = process.env['STACK_LOG_DIR'] ?? `${STACK_DIR}/logs`;

/** Build (up to date: seconds) and three services reading the topic; a loaded 2-core machine is slower. */
const START_TIMEOUT_MS = 150_000;
/** A service is restarted 1 s after it exits and is ready within seconds. */
const SERVICE_BACK_TIMEOUT_MS = 30_000;
/** The stack is checked every 2 s; Connect's JVM and worker take 11–15 s here, more under load. */
const CONNECT_BACK_TIMEOUT_MS = 90_000;
/** The services close in about a second; npm start kills one that takes 15 s. */
const STOP_TIMEOUT_MS = 30_000;

const SERVICES = [
  { name: 'websocket-service', health: `http://127.0.0.1:${WS_PORT}/readyz` },
  { name: 'orders-api', health: `http://127.0.0.1:${API_PORT}/readyz` },
  { name: 'web-client', health: `http://127.0.0.1:${WEB_PORT}/healthz` },
] as const;

const answers = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};

const pidOf = (name: string): number => {
  const file = `${STACK_DIR}/run/${name}.pid`;
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
};

const alive = (pid: number): boolean => {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let start: ChildProcess;
let exited: Promise<number | null>;
/** Everything npm start printed, stdout and stderr, line by line. */
const output: string[] = [];
const printed = (pattern: RegExp): boolean => output.some((line) => pattern.test(line));
const MARKER = `a line of the previous run ${Date.now()}`;

beforeAll(async () => {
  // What a previous run left in a service's log must survive this start.
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(`${LOG_DIR}/web-client.log`, `${MARKER}\n`);
  start = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      WEB_PORT: String(WEB_PORT),
      WS_PORT: String(WS_PORT),
      API_PORT: String(API_PORT),
      ADMINER_PORT: String(ADMINER_PORT),
    },
    // Its own process group, so the clean-up can end everything it started if a test fails midway.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => start.once('exit', (code) => resolve(code)));
  for (const stream of [start.stdout!, start.stderr!]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop()!;
      output.push(...lines);
    });
  }
  await waitFor(
    'npm start to print its summary',
    () => {
      if (start.exitCode !== null) throw new Error(`npm start exited with ${start.exitCode}:\n${output.join('\n')}`);
      return printed(/Ctrl-C stops the services/);
    },
    START_TIMEOUT_MS,
  );
  for (const { name, health } of SERVICES) await waitFor(`${name} to answer ${health}`, () => answers(health), 10_000);
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  // Normally the last test has stopped it; after a failure, end the whole group and what it supervised.
  if (start.exitCode === null && start.signalCode === null) {
    try {
      process.kill(-start.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const name of [...SERVICES.map((s) => s.name), 'adminer']) {
    const pid = pidOf(name);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

describe('npm start', () => {
  it("keeps the previous run's logs as NAME.log.1", () => {
    expect(readFileSync(`${LOG_DIR}/web-client.log.1`, 'utf8')).toContain(MARKER);
    expect(readFileSync(`${LOG_DIR}/web-client.log`, 'utf8')).not.toContain(MARKER);
  });

  for (const { name, health } of SERVICES) {
    it(
      `restarts the ${name} after kill -9 and says so`,
      async () => {
        const before = pidOf(name);
        expect(alive(before), `${name} runs (pid ${before})`).toBe(true);
        process.kill(before, 'SIGKILL');
        const said = new RegExp(`${name} exited \\(exit code 137, killed by SIGKILL\\).*Log: ${LOG_DIR}/${name}\\.log`);
        await waitFor(`the console to name ${name}`, () => printed(said), SERVICE_BACK_TIMEOUT_MS);
        await waitFor(
          `${name} to answer again from a new process`,
          async () => pidOf(name) !== before && alive(pidOf(name)) && (await answers(health)),
          SERVICE_BACK_TIMEOUT_MS,
        );
      },
      SERVICE_BACK_TIMEOUT_MS * 2,
    );
  }

  it(
    'brings Kafka Connect back after kill -9, its connector task RUNNING again',
    async () => {
      const { connectUrl } = stackEndpoints();
      const before = pidOf('connect');
      expect(alive(before), `connect runs (pid ${before})`).toBe(true);
      process.kill(before, 'SIGKILL');
      await waitFor('the console to name Kafka Connect', () => printed(/Kafka Connect died/), CONNECT_BACK_TIMEOUT_MS);
      await waitFor(
        'a new Connect worker with the orders task RUNNING',
        async () => pidOf('connect') !== before && alive(pidOf('connect')) && isRunning(await connectorStatus(connectUrl)),
        CONNECT_BACK_TIMEOUT_MS,
      );
      await waitFor('the console to say it is back', () => printed(/Kafka Connect: back/), CONNECT_BACK_TIMEOUT_MS);
    },
    CONNECT_BACK_TIMEOUT_MS * 2,
  );

  it(
    'stops every service on SIGTERM and leaves the stack running',
    async () => {
      const pids = SERVICES.map(({ name }) => pidOf(name));
      start.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitFor('npm start to finish stopping', () => printed(/the stack is still running/), STOP_TIMEOUT_MS);
      await waitFor('every service process to be gone', () => pids.every((pid) => !alive(pid)), STOP_TIMEOUT_MS);
      for (const { health } of SERVICES) expect(await answers(health), health).toBe(false);
      expect(isRunning(await connectorStatus(stackEndpoints().connectUrl))).toBe(true);
    },
    STOP_TIMEOUT_MS * 2,
  );
});
