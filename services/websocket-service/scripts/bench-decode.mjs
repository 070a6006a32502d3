// What embedding the value schema costs (value.converter.schemas.enable=true): bytes per record and
// decode time per record, against the schemaless records of before (the same-run baseline).
//   npm run build && node services/websocket-service/scripts/bench-decode.mjs [--records 50000] [--rounds 7]
// Prints a table and writes bench/results/decode-<timestamp>.json and latest-decode.json.
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { decodeRecord, RowCodecCache } from '../dist/ingest/debezium/decoder.js';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RECORDS = arg('records', 50_000);
const ROUNDS = arg('rounds', 7);
const enc = new TextEncoder();
const fixture = (path) => JSON.parse(readFileSync(new URL(`../src/ingest/fixtures/${path}.json`, import.meta.url), 'utf8'));

// The same update of the same columns, as the converter wrote it without and with the schema.
const cases = [
  { name: 'schemaless (baseline)', fixture: fixture('update'), cache: () => new RowCodecCache() },
  { name: 'with schema', fixture: fixture('schema/01-update-before-ddl'), cache: () => new RowCodecCache() },
  { name: 'with schema, uncached', fixture: fixture('schema/01-update-before-ddl'), cache: null },
  { name: 'with schema, 20 columns', fixture: fixture('schema/09-many-types'), cache: () => new RowCodecCache() },
];

function run(c) {
  const key = enc.encode(c.fixture.key);
  const value = enc.encode(c.fixture.value);
  const shared = c.cache ? c.cache() : null;
  const started = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i += 1) {
    const result = decodeRecord(key, value, shared ?? new RowCodecCache());
    if (!result.ok) throw new Error(`${c.name}: ${result.error.code} ${result.error.message}`);
  }
  return Number(process.hrtime.bigint() - started) / RECORDS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = new Map(cases.map((c) => [c.name, []]));
run(cases[0]);
run(cases[1]); // warm-up
for (let round = 0; round < ROUNDS; round += 1) for (const c of cases) samples.get(c.name).push(run(c));

const baseline = cases[0];
const baselineNs = median(samples.get(baseline.name));
const rows = cases.map((c) => {
  const bytes = enc.encode(c.fixture.value).length;
  const ns = median(samples.get(c.name));
  return {
    case: c.name,
    valueBytes: bytes,
    bytesVsBaseline: +(bytes / enc.encode(baseline.fixture.value).length).toFixed(2),
    decodeNsPerRecord: Math.round(ns),
    decodeVsBaseline: +(ns / baselineNs).toFixed(2),
    recordsPerSecond: Math.round(1e9 / ns),
  };
});
console.table(rows);
const result = {
  benchmark: 'decode',
  records: RECORDS,
  rounds: ROUNDS,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, kernel: release(), node: process.version },
  results: rows,
};
const dir = new URL('../../../bench/results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const text = `${JSON.stringify(result, null, 2)}\n`;
for (const name of [
  `decode-${new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')}.json`,
  'latest-decode.json',
]) {
  writeFileSync(new URL(`${name}.tmp`, dir), text);
  renameSync(new URL(`${name}.tmp`, dir), new URL(name, dir));
}
console.log(JSON.stringify(result));
