/** Kafka Connect's view of the orders connector. */

export interface ConnectorStatus {
  connector: { state: string };
  tasks: { id: number; state: string; trace?: string }[];
}

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
