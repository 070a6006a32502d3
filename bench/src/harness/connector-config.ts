/**
 * The latency benchmark's changes to the Debezium connector's config (testkit's Connect REST helpers:
 * a PUT restarts the task with the new settings; Debezium resumes from its stored offset, so nothing
 * is lost), applied once the new config is live.
 *
 * A changed config is written to a backup file first and removed only once the original is back,
 * so a benchmark killed with SIGKILL still leaves the way back: the next run restores it first.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyConnectorConfig, type ConnectorConfig } from '@orders-live/testkit';

/** Debezium's latency knobs set by this repository; without them the connector runs on its defaults. */
export const LATENCY_SETTINGS = ['poll.interval.ms', 'producer.override.linger.ms'] as const;

/** PUTs the config and waits until it is live, the latency settings included (also when it removes them). */
export async function applyWithLatencySettings(connectUrl: string, name: string, config: ConnectorConfig): Promise<void> {
  await applyConnectorConfig(connectUrl, name, config, [...new Set([...Object.keys(config), ...LATENCY_SETTINGS])]);
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
  await applyWithLatencySettings(connectUrl, name, config);
  clearConnectorBackup(path);
  return true;
}
