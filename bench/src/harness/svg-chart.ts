/**
 * A latency percentile chart as hand-written SVG (no library): latency on a log scale up, the
 * percentile on the usual "nines" scale across (x = log10(1 / (1 − q)): 0 %, 90 %, 99 %, 99.9 % …
 * equally spaced), so the tail is as readable as the median. Pure: data in, SVG text out.
 */

interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** [quantile 0..1, latency ms] pairs, ascending by quantile. */
  readonly quantiles: readonly (readonly [number, number])[];
}

interface ChartReference {
  readonly label: string;
  readonly ms: number;
}

interface PercentileChart {
  readonly title: string;
  readonly subtitle: string;
  readonly series: readonly ChartSeries[];
  /** Horizontal dashed lines, e.g. targets. */
  readonly references?: readonly ChartReference[];
}

const WIDTH = 820;
const HEIGHT = 480;
const MARGIN = { left: 72, right: 24, top: 64, bottom: 64 };
const NINES = 4; // up to 99.99 %; the maximum is drawn one step further right
const MAX_X = NINES + 0.5;

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (value: number): string => value.toFixed(1);

function xOfQuantile(q: number): number {
  const nines = q >= 1 ? MAX_X : Math.min(NINES, Math.log10(1 / (1 - q)));
  return MARGIN.left + (nines / MAX_X) * (WIDTH - MARGIN.left - MARGIN.right);
}

function niceTicks(minMs: number, maxMs: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(minMs)); decade <= maxMs * 10; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const value = decade * step;
      if (value >= minMs && value <= maxMs) ticks.push(Number(value.toPrecision(3)));
    }
  }
  return ticks;
}

function formatMs(ms: number): string {
  if (ms >= 1_000) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

export function percentileChartSvg(chart: PercentileChart): string {
  const values = chart.series.flatMap((s) => s.quantiles.map(([, ms]) => ms)).concat((chart.references ?? []).map((r) => r.ms));
  const positive = values.filter((v) => v > 0);
  const low = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...positive, 1))));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...positive, low * 10)));
  const plotTop = MARGIN.top;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const yOf = (ms: number) =>
    plotBottom - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (plotBottom - plotTop);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="24" font-size="16" font-weight="600">${escapeXml(chart.title)}</text>`);
  parts.push(`<text x="${MARGIN.left}" y="44" fill="#555">${escapeXml(chart.subtitle)}</text>`);

  // Grid: latency ticks (log) and percentile ticks (nines).
  for (const ms of niceTicks(low, high)) {
    const y = fixed(yOf(ms));
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y}" dy="4" text-anchor="end" fill="#333">${formatMs(ms)}</text>`);
  }
  const percentileTicks: [number, string][] = [
    [0, '0%'],
    [0.5, '50%'],
    [0.9, '90%'],
    [0.99, '99%'],
    [0.999, '99.9%'],
    [0.9999, '99.99%'],
    [1, 'max'],
  ];
  for (const [q, label] of percentileTicks) {
    const x = fixed(xOfQuantile(q));
    parts.push(`<line x1="${x}" x2="${x}" y1="${plotTop}" y2="${plotBottom}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x}" y="${plotBottom + 18}" text-anchor="middle" fill="#333">${label}</text>`);
  }
  parts.push(`<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 18}" text-anchor="middle" fill="#333">percentile</text>`);
  parts.push(
    `<text transform="translate(18 ${(plotTop + plotBottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">latency (log scale)</text>`,
  );
  parts.push(
    `<rect x="${MARGIN.left}" y="${plotTop}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${plotBottom - plotTop}" fill="none" stroke="#999"/>`,
  );

  for (const reference of chart.references ?? []) {
    const y = fixed(yOf(reference.ms));
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#888" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${y}" dy="-4" text-anchor="end" fill="#666">${escapeXml(reference.label)}</text>`);
  }

  const legends: string[] = [];
  chart.series.forEach((series) => {
    if (series.quantiles.length === 0) return;
    const points = series.quantiles.map(([q, ms]) => `${fixed(xOfQuantile(q))},${fixed(yOf(ms))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${series.color}" stroke-width="2.5" stroke-linejoin="round"/>`);
    for (const [q, ms] of series.quantiles) {
      if (q === 0.5 || q === 0.99)
        parts.push(`<circle cx="${fixed(xOfQuantile(q))}" cy="${fixed(yOf(ms))}" r="3.5" fill="${series.color}"/>`);
    }
    const at = (level: number) => series.quantiles.find(([q]) => q === level)?.[1];
    const p50 = at(0.5);
    const p99 = at(0.99);
    legends.push(
      `${series.label}: p50 ${p50 === undefined ? '–' : formatMs(Number(p50.toPrecision(3)))}, p99 ${p99 === undefined ? '–' : formatMs(Number(p99.toPrecision(3)))}`,
    );
  });
  // Legend in the plot's lower right, where percentile curves (rising to the right) rarely are.
  const legendWidth = Math.max(...legends.map((text) => text.length)) * 6.4 + 48;
  const legendHeight = legends.length * 18 + 10;
  const legendX = WIDTH - MARGIN.right - legendWidth - 8;
  const legendY = plotBottom - legendHeight - 8;
  if (legends.length > 0)
    parts.push(
      `<rect x="${fixed(legendX)}" y="${fixed(legendY)}" width="${fixed(legendWidth)}" height="${legendHeight}" fill="#ffffff" fill-opacity="0.9" stroke="#ccc"/>`,
    );
  legends.forEach((text, index) => {
    const color = chart.series.filter((s) => s.quantiles.length > 0)[index]!.color;
    const y = legendY + 19 + index * 18;
    parts.push(
      `<line x1="${fixed(legendX + 10)}" x2="${fixed(legendX + 34)}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2.5"/>`,
    );
    parts.push(`<text x="${fixed(legendX + 40)}" y="${y}" fill="#222">${escapeXml(text)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
