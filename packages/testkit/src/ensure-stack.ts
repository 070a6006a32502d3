/** The native stack started (or reused: stack/up.sh is idempotent) and the orders connector RUNNING. */
import { execFileSync } from 'node:child_process';
import { connectorStatus, isRunning } from './connector.js';
import { REPO_ROOT } from './env-file.js';
import { stackEndpoints, type StackEndpoints } from './stack.js';
import { waitFor } from './wait.js';

const CONNECTOR_RUNNING_TIMEOUT_MS = 120_000;

/** Runs stack/up.sh: it prints its progress to stderr only when it has something to start. */
export function startNativeStack(): void {
  execFileSync('bash', [`${REPO_ROOT}stack/up.sh`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function waitForConnector(connectUrl: string): Promise<void> {
  await waitFor(
    'the orders connector to be RUNNING',
    async () => isRunning(await connectorStatus(connectUrl)),
    CONNECTOR_RUNNING_TIMEOUT_MS,
  );
}

/** For benchmarks and tools run outside vitest (whose global set-up does the same). */
export async function ensureStack(): Promise<StackEndpoints> {
  const stack = stackEndpoints();
  if (stack.source === 'native') startNativeStack();
  await waitForConnector(stack.connectUrl);
  return stack;
}
