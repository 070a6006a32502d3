import { describe, expect, it } from 'vitest';
import { describeStatus, readStatus } from './pipeline-status.js';

const ok = {
  kafka: { state: 'ok', code: 'KAFKA_OK' },
  connector: { state: 'streaming', code: 'CONNECTOR_STREAMING', silentForMs: 2_000 },
  lag: { state: 'live', code: 'LAG_LIVE', behind: 0 },
};

describe('describeStatus', () => {
  it('names the most upstream part that is down', () => {
    expect(
      describeStatus(
        readStatus({
          status: { ...ok, kafka: { code: 'KAFKA_UNREACHABLE' }, connector: { code: 'CONNECTOR_UNKNOWN', silentForMs: null } },
        }),
        true,
      ),
    ).toMatch(/cannot reach Kafka/);
    expect(describeStatus(readStatus({ status: { ...ok, connector: { code: 'CONNECTOR_SILENT', silentForMs: 41_400 } } }), true)).toBe(
      "No changes or heartbeats from the database's change stream (the Debezium connector) for 41 s.",
    );
    expect(describeStatus(readStatus({ status: { ...ok, lag: { code: 'LAG_CATCHING_UP', behind: 12_345 } } }), true)).toBe(
      'The server is catching up: 12,345 changes behind.',
    );
  });

  it('says the server cannot be reached when /readyz does not answer', () => {
    expect(describeStatus(undefined, false)).toBe('The live server cannot be reached.');
  });

  it('says nothing when all is well or the body carries no status it knows', () => {
    expect(describeStatus(readStatus({ status: ok }), true)).toBeUndefined();
    expect(describeStatus(readStatus({ ready: false }), true)).toBeUndefined();
    expect(readStatus(null)).toBeUndefined();
  });
});
