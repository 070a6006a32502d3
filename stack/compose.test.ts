/**
 * docker-compose.yml cannot run on the machines this project is tested on (no Docker engine), so it
 * is kept correct by construction and checked here: it parses, every file it mounts or builds from
 * exists, every image is pinned to a version from .env, every service the others wait on has a
 * healthcheck, nothing but the apps is published beyond 127.0.0.1, and the Kafka and Connect
 * settings equal the native stack's files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, readEnvFile } from '@orders-live/testkit';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  entrypoint?: string[];
  restart?: string;
}

const composeText = readFileSync(`${REPO_ROOT}docker-compose.yml`, 'utf8');
const compose = parse(composeText) as { services: Record<string, Service> };
const services = compose.services;
const env = readEnvFile();
const interpolate = (value: string): string =>
  value.replace(/\$\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in env)) throw new Error(`docker-compose.yml uses \${${name}} which .env does not define`);
    return env[name]!;
  });

function properties(path: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of readFileSync(`${REPO_ROOT}${path}`, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    result[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return result;
}

describe('docker-compose.yml', () => {
  it('has the services of the architecture', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['adminer', 'connect', 'kafka', 'kafka-ui', 'orders-api', 'postgres', 'register-connector', 'web-client', 'websocket-service'].sort(),
    );
  });

  it('pins every image to a version from .env, never latest', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/:\$\{\w+\}$/);
      const image = interpolate(service.image!);
      expect(image, name).not.toMatch(/:latest$/);
      expect(image, name).toMatch(/:[\w.-]*\d[\w.-]*$/);
    }
  });

  it('runs the same versions as the native stack', () => {
    expect(interpolate(services['kafka']!.image!)).toBe(`apache/kafka:${env['KAFKA_VERSION']}`);
    expect(interpolate(services['connect']!.image!)).toBe(`quay.io/debezium/connect:${env['DEBEZIUM_VERSION']}`);
    expect(env['POSTGRES_IMAGE_TAG']!.startsWith(`${env['POSTGRES_MAJOR']}.`)).toBe(true);
  });

  it('refers only to files and Dockerfiles that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(`${REPO_ROOT}${source.slice(2)}`), `${name}: ${source}`).toBe(true);
      }
      if (service.build) {
        expect(service.build.context, name).toBe('.');
        expect(existsSync(`${REPO_ROOT}${service.build.dockerfile}`), `${name}: ${service.build.dockerfile}`).toBe(true);
      }
    }
    expect(existsSync(`${REPO_ROOT}database/init.sh`)).toBe(true);
  });

  it('waits only on services that have healthchecks (or one-shots that must complete)', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck, `${dependency} healthcheck`).toBeDefined();
        else expect(condition).toBe('service_completed_successfully');
      }
    }
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'register-connector') expect(service.healthcheck, `${name} healthcheck`).toBeDefined();
    }
  });

  it('restarts every long-running service when it dies', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'register-connector') expect(service.restart, name).toBe('no');
      else expect(service.restart, name).toBe('unless-stopped');
    }
  });

  it('publishes every port on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
  });

  it('serves the page on 3000, Kafka UI on 8080 and Adminer on 8081', () => {
    expect(services['web-client']!.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(services['kafka-ui']!.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(services['adminer']!.ports).toEqual(['127.0.0.1:8081:8080']);
  });

  it('configures Connect exactly as connectors/connect-worker.properties', () => {
    // The Debezium image's entrypoint: short names, and CONNECT_A_B → a.b.
    const shortNames: Record<string, string> = {
      GROUP_ID: 'group.id',
      CONFIG_STORAGE_TOPIC: 'config.storage.topic',
      OFFSET_STORAGE_TOPIC: 'offset.storage.topic',
      STATUS_STORAGE_TOPIC: 'status.storage.topic',
      KEY_CONVERTER: 'key.converter',
      VALUE_CONVERTER: 'value.converter',
    };
    const fromCompose: Record<string, string> = {};
    for (const [key, value] of Object.entries(services['connect']!.environment!)) {
      if (key in shortNames) fromCompose[shortNames[key]!] = String(value);
      else if (key.startsWith('CONNECT_')) fromCompose[key.slice('CONNECT_'.length).toLowerCase().replaceAll('_', '.')] = String(value);
    }
    expect(fromCompose).toEqual(properties('connectors/connect-worker.properties'));
  });

  it('configures the broker as stack/kafka.properties', () => {
    const fromCompose: Record<string, string> = {};
    for (const [key, value] of Object.entries(services['kafka']!.environment!)) {
      if (key.startsWith('KAFKA_')) fromCompose[key.slice('KAFKA_'.length).toLowerCase().replaceAll('_', '.')] = String(value);
    }
    expect(fromCompose).toMatchObject(properties('stack/kafka.properties'));
  });

  it('gives the connector the env values its config placeholders name', () => {
    const connector = readFileSync(`${REPO_ROOT}register-orders-connector.json`, 'utf8');
    const names = [...connector.matchAll(/\$\{env:(\w+)\}/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(services['connect']!.environment, name).toHaveProperty(name);
  });

  it('registers the connector with the shared script and file', () => {
    const register = services['register-connector']!;
    expect(register.entrypoint).toEqual(['sh', '/connectors/register.sh']);
    expect(register.environment).toMatchObject({ CONNECTOR_FILE: '/register-orders-connector.json' });
  });

  it('builds the app images with the commands CI runs', () => {
    for (const dockerfile of ['services/websocket-service/Dockerfile', 'services/orders-api/Dockerfile', 'web-client/Dockerfile']) {
      const text = readFileSync(`${REPO_ROOT}${dockerfile}`, 'utf8');
      expect(text, dockerfile).toContain('RUN npm ci --ignore-scripts && npm run build');
      expect(text, dockerfile).toMatch(/^USER node$/m);
      expect(text, dockerfile).toMatch(/^ARG NODE_IMAGE_TAG=(.+)$/m);
      expect(text.match(/^ARG NODE_IMAGE_TAG=(.+)$/m)![1]).toBe(env['NODE_IMAGE_TAG']);
    }
  });
});

describe('register-orders-connector.json', () => {
  const config = JSON.parse(readFileSync(`${REPO_ROOT}register-orders-connector.json`, 'utf8')) as Record<string, string>;

  it('streams orders with pgoutput through the owner-made publication', () => {
    expect(config).toMatchObject({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'plugin.name': 'pgoutput',
      'topic.prefix': 'orders',
      'table.include.list': 'public.orders',
      'publication.autocreate.mode': 'disabled',
      'snapshot.mode': 'initial',
      'decimal.handling.mode': 'string',
      'topic.creation.default.cleanup.policy': 'compact',
      'topic.creation.default.partitions': '1',
    });
    expect(readFileSync(`${REPO_ROOT}database/sql/01-schema.sql`, 'utf8')).toContain(`CREATE PUBLICATION ${config['publication.name']} FOR TABLE public.orders`);
  });

  it('keeps secrets out of the file and does not enable transaction metadata', () => {
    expect(config['database.password']).toMatch(/^\$\{env:\w+\}$/);
    expect(config['provide.transaction.metadata'] ?? 'false').toBe('false');
    expect(Number(config['heartbeat.interval.ms'])).toBeGreaterThan(0);
  });
});
