/**
 * One Kafka record of the change topic as a few readable lines: where it is (partition, offset,
 * time), its key, and the Debezium envelope's op, source position and before/after. Pure: it shows
 * what is there and never fails on what is not (a tombstone, a value that is not JSON, a field a
 * newer Debezium adds or drops), since this is the tool one reaches for when something looks wrong.
 */
import { formatLsn, lsnSchema } from '@orders-live/protocol';

export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka's record timestamp, epoch milliseconds as text (as kafkajs gives it). */
  readonly timestamp: string;
  readonly key: string | null;
  readonly value: string | null;
}

/** Debezium's op codes (https://debezium.io/documentation/reference/stable/connectors/postgresql.html). */
const OPERATIONS: Readonly<Record<string, string>> = Object.freeze({
  r: 'read (snapshot)',
  c: 'create',
  u: 'update',
  d: 'delete',
  t: 'truncate',
  m: 'message',
});

const INDENT = '   ';
const label = (name: string): string => `${INDENT}${name.padEnd(7)} `;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function headerLine(record: RawRecord): string {
  const ms = Number(record.timestamp);
  const at = Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : `timestamp ${record.timestamp}`;
  return `── ${record.topic}  partition ${record.partition}  offset ${record.offset}  ${at}`;
}

export function formatRecord(record: RawRecord): string {
  const lines = [headerLine(record), `${label('key')}${record.key ?? '(none)'}`];
  if (record.value === null) {
    lines.push(`${label('value')}(tombstone: the key's row was deleted; compaction may now drop its older records)`);
    return lines.join('\n');
  }
  const parsed = parseJson(record.value);
  if (!parsed.ok || !isObject(parsed.value)) {
    lines.push(`${label('value')}(not a JSON object) ${record.value}`);
    return lines.join('\n');
  }
  // Without embedded schemas (the converters' schemas.enable=false) the value is the envelope itself.
  const envelope = isObject(parsed.value['payload']) ? parsed.value['payload'] : parsed.value;
  const op = typeof envelope['op'] === 'string' ? envelope['op'] : undefined;
  lines.push(`${label('op')}${op === undefined ? '(absent)' : `${op}  ${OPERATIONS[op] ?? 'unknown'}`}`);
  const source = isObject(envelope['source']) ? envelope['source'] : undefined;
  if (source) {
    const position = [`lsn ${showLsn(source['lsn'])}`, `txId ${show(source['txId'])}`, `snapshot ${show(source['snapshot'])}`];
    if (source['ts_ms'] !== undefined) position.push(`committed ${formatMillis(source['ts_ms'])}`);
    lines.push(`${label('source')}${position.join('  ')}`);
  } else {
    lines.push(`${label('source')}(absent)`);
  }
  lines.push(`${label('before')}${show(envelope['before'])}`, `${label('after')}${show(envelope['after'])}`);
  return lines.join('\n');
}

/** The LSN as Postgres prints it (`0/16B3748`), as the page's raw change shows it; anything else as it is. */
function showLsn(value: unknown): string {
  const lsn = lsnSchema.safeParse(value);
  return lsn.success ? formatLsn(lsn.data) : show(value);
}

function formatMillis(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString() : show(value);
}
