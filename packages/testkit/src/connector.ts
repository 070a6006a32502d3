/** Kafka Connect's REST API as tests, tools and benchmarks use it: a connector's status, config and tasks. */
import { waitFor } from './wait.js';

export interface ConnectorStatus {
  connector: { state: string };
  tasks: { id: number; state: string; trace?: string }[];
}

export type ConnectorConfig = Record<string, string>;

/** Long enough for Connect to restart a task with a new config and Debezium to resume from its offset. */
const APPLY_TIMEOUT_MS = 120_000;

export async function connectorStatus(connectUrl: string, name = 'orders'): Promise<ConnectorStatus | undefined> {
  const response = await fetch(`${connectUrl}/connectors/${name}/status`);
  if (!response.ok) return undefined;
  return (await response.json()) as ConnectorStatus;
}

export function isRunning(status: ConnectorStatus | undefined): boolean {
  return (
    status !== undefined &&
    status.connector.state === 'RUNNING' &&
    status.tasks.length > 0 &&
    status.tasks.every((t) => t.state === 'RUNNING')
  );
}

export async function getConnectorConfig(connectUrl: string, name: string): Promise<ConnectorConfig> {
  const response = await fetch(`${connectUrl}/connectors/${name}/config`);
  if (!response.ok) throw new Error(`GET ${name} config: HTTP ${response.status}`);
  return (await response.json()) as ConnectorConfig;
}

/** PUT /connectors/<name>/config: creates the connector, or replaces its config (Connect restarts the task). */
export async function putConnectorConfig(connectUrl: string, name: string, config: ConnectorConfig): Promise<void> {
  const response = await fetch(`${connectUrl}/connectors/${name}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`PUT ${name} config: HTTP ${response.status}: ${await response.text()}`);
}

/** The task configs Connect handed out: they change when a new connector config is live. */
async function taskConfigs(connectUrl: string, name: string): Promise<ConnectorConfig[]> {
  const response = await fetch(`${connectUrl}/connectors/${name}/tasks`);
  if (!response.ok) return [];
  return ((await response.json()) as { config: ConnectorConfig }[]).map((task) => task.config);
}

/**
 * PUTs the config, then waits until every task carries it and connector and tasks are RUNNING. `keys`
 * are the settings compared (by default the config's own; add a removed key to wait for it to be gone).
 */
export async function applyConnectorConfig(
  connectUrl: string,
  name: string,
  config: ConnectorConfig,
  keys: readonly string[] = Object.keys(config),
  timeoutMs = APPLY_TIMEOUT_MS,
): Promise<void> {
  await putConnectorConfig(connectUrl, name, config);
  await waitFor(
    `connector ${name} to run the new config`,
    async () => {
      const tasks = await taskConfigs(connectUrl, name);
      const status = await connectorStatus(connectUrl, name);
      const failed = status?.tasks.find((task) => task.state === 'FAILED');
      if (failed) throw new Error(`task ${failed.id} FAILED: ${failed.trace?.split('\n')[0] ?? ''}`);
      return tasks.length > 0 && tasks.every((task) => keys.every((key) => task[key] === config[key])) && isRunning(status);
    },
    timeoutMs,
  );
}

/** Stops the connector, forgets its offsets and deletes it (a missing connector is already deleted). */
export async function deleteConnector(connectUrl: string, name: string): Promise<void> {
  const url = `${connectUrl}/connectors/${name}`;
  await fetch(`${url}/stop`, { method: 'PUT' }).catch(() => undefined);
  await waitFor(`${name} to stop`, async () => (await connectorStatus(connectUrl, name))?.connector.state !== 'RUNNING', 30_000).catch(
    () => undefined,
  );
  await fetch(`${url}/offsets`, { method: 'DELETE' }).catch(() => undefined);
  const deleted = await fetch(url, { method: 'DELETE' });
  if (!deleted.ok && deleted.status !== 404) throw new Error(`deleting ${name}: HTTP ${deleted.status}`);
}
