/** The native stack the benchmarks run on: started (or reused: stack/up.sh is idempotent) first. */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, connectorStatus, isRunning, stackEndpoints, waitFor, type StackEndpoints } from '@orders-live/testkit';

const CONNECTOR_RUNNING_TIMEOUT_MS = 120_000;

export async function ensureStack(): Promise<StackEndpoints> {
  const stack = stackEndpoints();
  if (stack.source === 'native') {
    // Prints its progress to stderr only when it has something to start; quiet when all is up.
    execFileSync('bash', [`${REPO_ROOT}stack/up.sh`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  await waitFor('the orders connector to be RUNNING', async () => isRunning(await connectorStatus(stack.connectUrl)), CONNECTOR_RUNNING_TIMEOUT_MS);
  return stack;
}
