import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTOR_SILENT_AFTER_MS, pipelineStatus, readinessAllowOrigin, type HealthObservations } from './health.js';

const T0 = 1_800_000_000_000;
const healthy: HealthObservations = { kafkaReachable: true, caughtUp: true, lag: 0, connectorAdvancedAt: T0, watchingSince: T0 - 60_000 };

describe('pipelineStatus', () => {
  it('says all is well when Kafka answers, the connector writes and the replica is caught up', () => {
    expect(pipelineStatus(healthy, T0 + 3_000)).toEqual({
      kafka: { state: 'ok', code: 'KAFKA_OK' },
      connector: { state: 'streaming', code: 'CONNECTOR_STREAMING', silentForMs: 3_000 },
      lag: { state: 'live', code: 'LAG_LIVE', behind: 0 },
    });
  });

  it('calls the connector silent once its topics stood still past the threshold (heartbeats stopped)', () => {
    const now = T0 + DEFAULT_CONNECTOR_SILENT_AFTER_MS + 1;
    expect(pipelineStatus(healthy, now).connector).toEqual({
      state: 'silent',
      code: 'CONNECTOR_SILENT',
      silentForMs: DEFAULT_CONNECTOR_SILENT_AFTER_MS + 1,
    });
    expect(pipelineStatus(healthy, T0 + DEFAULT_CONNECTOR_SILENT_AFTER_MS).connector.state).toBe('streaming');
  });

  it('counts the silence from when it started watching if the topics never advanced', () => {
    const fresh = { ...healthy, connectorAdvancedAt: undefined, watchingSince: T0 };
    expect(pipelineStatus(fresh, T0 + 10_000).connector.state).toBe('streaming');
    expect(pipelineStatus(fresh, T0 + 40_000, 30_000).connector).toMatchObject({ state: 'silent', silentForMs: 40_000 });
  });

  it('cannot tell about the connector while Kafka is unreachable', () => {
    expect(pipelineStatus({ ...healthy, kafkaReachable: false }, T0 + 60_000)).toMatchObject({
      kafka: { state: 'unreachable', code: 'KAFKA_UNREACHABLE' },
      connector: { state: 'unknown', code: 'CONNECTOR_UNKNOWN', silentForMs: null },
    });
  });

  it('says how far behind the replica is while catching up', () => {
    expect(pipelineStatus({ ...healthy, lag: 5_000 }, T0).lag).toEqual({ state: 'catching-up', code: 'LAG_CATCHING_UP', behind: 5_000 });
    expect(pipelineStatus({ ...healthy, caughtUp: false, lag: 3 }, T0).lag.state).toBe('catching-up');
    expect(pipelineStatus({ ...healthy, lag: 40 }, T0).lag).toEqual({ state: 'live', code: 'LAG_LIVE', behind: 40 });
  });
});

describe('readinessAllowOrigin', () => {
  it('lets any page read /readyz when any origin may connect', () => {
    expect(readinessAllowOrigin('http://localhost:3000', undefined)).toBe('*');
    expect(readinessAllowOrigin(undefined, undefined)).toBe('*');
  });

  it('lets only allowed origins read it when WS_ALLOWED_ORIGINS is set', () => {
    expect(readinessAllowOrigin('http://localhost:3000', ['http://localhost:3000'])).toBe('http://localhost:3000');
    expect(readinessAllowOrigin('http://evil.example', ['http://localhost:3000'])).toBeUndefined();
    expect(readinessAllowOrigin(undefined, ['http://localhost:3000'])).toBeUndefined();
  });
});
