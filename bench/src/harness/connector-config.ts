/**
 * The Debezium connector's config over Kafka Connect's REST API: read it, replace it (PUT
 * /connectors/<name>/config, which restarts the task with the new settings; Debezium resumes from
 * its stored offset, so nothing is lost), and know when the new config is live.
 *
 * A changed config is written to a backup file first and removed only once the original is back,
 * so a benchmark killed with SIGKILL still leaves the way back: the next run restores it first.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { connectorStatus, isRunning, waitFor } from '@orders-live/testkit';

export type ConnectorConfig = Record<string, string>;

/** Debezium's latency knobs set by this repository; without them the connector runs on its defaults. */
export const LATENCY_SETTINGS = ['poll.interval.ms', 'producer.override.linger.ms'] as const;
const APPLY_TIMEOUT_MS = 120_000;

export async function getConnectorConfig(connectUrl: string, name: string): Promise<ConnectorConfig> {
  const response = await fetch(`${connectUrl}/connectors/${name}/config`);
  if (!response.ok) throw new Error(`GET ${name} config: HTTP ${response.status}`);
  return (await response.json()) as ConnectorConfig;
}

/** The task configs Connect handed out: they change when a new connector config is live. */
async function taskConfigs(connectUrl: string, name: string): Promise<ConnectorConfig[]> {
  const response = await fetch(`${connectUrl}/connectors/${name}/tasks`);
  if (!response.ok) return [];
  return ((await response.json()) as { config: ConnectorConfig }[]).map((task) => task.config);
}

function sameSettings(task: ConnectorConfig, config: ConnectorConfig, keys: readonly string[]): boolean {
  return keys.every((key) => task[key] === config[key]);
}

/** PUTs the config, then waits until every task carries it and connector and tasks are RUNNING. */
export async function putConnectorConfig(connectUrl: string, name: string, config: ConnectorConfig, timeoutMs = APPLY_TIMEOUT_MS): Promise<void> {
  const response = await fetch(`${connectUrl}/connectors/${name}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (response.status !== 200 && response.status !== 201) throw new Error(`PUT ${name} config: HTTP ${response.status}: ${await response.text()}`);
  const keys = [...new Set([...Object.keys(config), ...LATENCY_SETTINGS])];
  await waitFor(
    `connector ${name} to run the new config`,
    async () => {
      const tasks = await taskConfigs(connectUrl, name);
      const status = await connectorStatus(connectUrl, name);
      const failed = status?.tasks.find((task) => task.state === 'FAILED');
      if (failed) throw new Error(`task ${failed.id} FAILED: ${failed.trace?.split('\n')[0] ?? ''}`);
      return tasks.length > 0 && tasks.every((task) => sameSettings(task, config, keys)) && isRunning(status);
    },
    timeoutMs,
  );
}

/** The connector's config with the latency settings removed: Debezium's and the worker's defaults apply. */
export function withDefaultLatencySettings(config: ConnectorConfig): ConnectorConfig {
  const copy = { ...config };
  for (const key of LATENCY_SETTINGS) delete copy[key];
  return copy;
}

export function backupConnectorConfig(path: string, name: string, config: ConnectorConfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ name, config }, null, 2));
}

export function clearConnectorBackup(path: string): void {
  rmSync(path, { force: true });
}

/** If an earlier run died with the config changed, puts the backed-up original back. */
export async function restoreLeftoverBackup(connectUrl: string, path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const { name, config } = JSON.parse(readFileSync(path, 'utf8')) as { name: string; config: ConnectorConfig };
  process.stderr.write(`an earlier benchmark left connector ${name} changed: restoring its config from ${path}\n`);
  await putConnectorConfig(connectUrl, name, config);
  clearConnectorBackup(path);
  return true;
}
