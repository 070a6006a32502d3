/** Reading the service's Prometheus /metrics page: one scraper for the tests, the benchmarks and the tools. */

/** prom-client's default gauge of the V8 heap in use, bytes. */
export const HEAP_USED_METRIC = 'nodejs_heap_size_used_bytes';

export async function metricsText(httpUrl: string): Promise<string> {
  return (await fetch(`${httpUrl}/metrics`)).text();
}

/** One counter or gauge summed over its labels; null when the page has no sample of it. Pure. */
export function sampleSum(text: string, name: string): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Reads one counter or gauge (summed over labels) from a Prometheus /metrics page; 0 when absent. */
export async function metricValue(httpUrl: string, name: string): Promise<number> {
  return sampleSum(await metricsText(httpUrl), name) ?? 0;
}

/** Cumulative buckets of an unlabelled Prometheus histogram. */
export async function histogramBuckets(httpUrl: string, name: string): Promise<{ le: number; count: number }[]> {
  const text = await metricsText(httpUrl);
  const buckets: { le: number; count: number }[] = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(pattern))
    buckets.push({ le: match[1] === '+Inf' ? Infinity : Number(match[1]), count: Number(match[2]) });
  return buckets;
}
