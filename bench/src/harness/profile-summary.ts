/**
 * What a V8 CPU profile (.cpuprofile, from node --cpu-prof) says, in a few lines: the functions
 * with the most self time, and self time by file (which library the time goes to).
 * `node bench/dist/harness/profile-summary.js <file.cpuprofile>` prints it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, UsageError } from '@orders-live/cli-kit';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

interface ProfileLine {
  readonly name: string;
  readonly selfMs: number;
  readonly selfShare: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Share of samples not idle ("(idle)") nor "(program)"/"(garbage collector)": JS and native work. */
  readonly busyShare: number;
  readonly gcShare: number;
  readonly topFunctions: readonly ProfileLine[];
  readonly topFiles: readonly ProfileLine[];
}

/** Shortens a file URL to what identifies it: the package (node_modules/<pkg>/…) or the repo path. */
export function shortLocation(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nodeModules = path.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const rest = path.slice(nodeModules + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return `${pkg}/${rest.slice(rest[0]!.startsWith('@') ? 2 : 1).join('/')}`;
  }
  const marker = path.indexOf('/services/') >= 0 ? path.indexOf('/services/') : path.indexOf('/packages/');
  return marker >= 0 ? path.slice(marker + 1) : path;
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let idleUs = 0;
  let gcUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idleUs += us;
    if (functionName === '(garbage collector)') gcUs += us;
    const location = shortLocation(url);
    const name = `${functionName || '(anonymous)'} ${location}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const file = url ? location : functionName;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, selfShare: Math.round((us / totalUs) * 1_000) / 1_000 }));
  return {
    totalMs: Math.round(totalUs / 1_000),
    busyShare: Math.round(((totalUs - idleUs) / totalUs) * 1_000) / 1_000,
    gcShare: Math.round((gcUs / totalUs) * 1_000) / 1_000,
    topFunctions: lines(byFunction),
    topFiles: lines(byFile),
  };
}

export function summarizeProfileFile(path: string, top = 15): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, top);
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `profile: ${summary.totalMs} ms sampled, busy ${pct(summary.busyShare)}, GC ${pct(summary.gcShare)}`,
    'top self time, by function:',
    ...summary.topFunctions.map((line) => `  ${pct(line.selfShare)}  ${line.name}`),
    'top self time, by file:',
    ...summary.topFiles.map((line) => `  ${pct(line.selfShare)}  ${line.name}`),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void runCli({
    name: 'profile-summary',
    usage: 'usage: node bench/dist/harness/profile-summary.js <file.cpuprofile> [top]',
    parse: (argv) => {
      if (argv[0] === undefined) throw new UsageError('which .cpuprofile file?');
      return { help: argv[0] === '--help', file: argv[0], top: Number(argv[1] ?? 15) };
    },
    run: async ({ file, top }) => {
      process.stdout.write(`${formatProfileSummary(summarizeProfileFile(file, top))}\n`);
    },
  });
}
