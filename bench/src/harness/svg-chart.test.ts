import { describe, expect, it } from 'vitest';
import { percentileChartSvg } from './svg-chart.js';

describe('percentileChartSvg', () => {
  const svg = percentileChartSvg({
    title: 'commit → client <latency>',
    subtitle: '1000 clients',
    series: [
      { label: 'ours', color: '#1f77b4', quantiles: [[0, 3], [0.5, 8], [0.9, 12], [0.99, 30], [1, 45]] },
      { label: 'baseline', color: '#d62728', quantiles: [[0, 40], [0.5, 450], [0.99, 900], [1, 1200]] },
    ],
    references: [{ label: 'target p99 50 ms', ms: 50 }],
  });

  it('draws one line per series, with a legend giving p50 and p99', () => {
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('ours: p50 8 ms, p99 30 ms');
    expect(svg).toContain('baseline: p50 450 ms, p99 900 ms');
  });

  it('escapes text and spans the data on a log scale of whole decades', () => {
    expect(svg).toContain('&#60;latency&#62;');
    expect(svg).toContain('>1 ms<');
    expect(svg).toContain('>2 s<');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
