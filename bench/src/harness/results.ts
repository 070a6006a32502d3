/**
 * Where results go: bench/results/latest-<name>.json (committed) and a timestamped copy in
 * bench/results/history/<name>-<timestamp>.json (git-ignored), both written via a .tmp file and a
 * rename, so a reader never sees half a file; and a readable table on stdout. Every result records
 * the machine it ran on.
 */
import { cpus, freemem, release, totalmem } from 'node:os';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@orders-live/testkit';
import { str } from '@orders-live/cli-kit';

export const DEFAULT_RESULTS_DIR = `${REPO_ROOT}bench/results`;

/** Where every benchmark writes its result: the last of its options. */
export const RESULT_OPTIONS = {
  json: str('', 'also write the result JSON to this path'),
  outDir: str(DEFAULT_RESULTS_DIR, 'results directory'),
};

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadAverage: string;
}

export function machine(): Machine {
  const list = cpus();
  let loadAverage = '';
  try {
    loadAverage = readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).join(' ');
  } catch {
    // not Linux: leave it out
  }
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadAverage,
  };
}

/** What every result starts with: which benchmark, when, where, and its options (less where it writes). */
export function resultHead<B extends string, O extends { readonly outDir: string; readonly json: string }>(
  benchmark: B,
  startedAt: string,
  options: O,
): { benchmark: B; startedAt: string; machine: Machine; options: Omit<O, 'outDir' | 'json'> } {
  const { outDir: _outDir, json: _json, ...shown } = options;
  return { benchmark, startedAt, machine: machine(), options: shown };
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function timestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
}

/** Writes the result twice (a timestamped copy under history/, and latest); returns the timestamped path. */
export function writeResult(name: string, result: unknown, dir = DEFAULT_RESULTS_DIR, extraPath?: string): string {
  mkdirSync(join(dir, 'history'), { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const path = join(dir, 'history', `${name}-${timestamp()}.json`);
  writeAtomically(path, text);
  writeAtomically(join(dir, `latest-${name}.json`), text);
  if (extraPath) writeAtomically(extraPath, text);
  return path;
}

/** A plain-text table: the first row is the header; numbers are right-aligned. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const numeric = rows[1]?.map((cell) => typeof cell === 'number') ?? [];
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 10_000) return String(value);
  if (abs >= 1_000_000) return `${(value / 1_000_000).toFixed(2)}M`;
  if (abs >= 10_000) return `${(value / 1_000).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
