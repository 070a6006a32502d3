/**
 * The rate chart: an SVG of the last 60 s (rate-stats.ts), one column per second. Bars are changes
 * per second (left scale); two lines are the median and the max commit → screen latency of each
 * second (right scale). The scales' tops and a one-line summary are HTML text beside the SVG, so the
 * SVG can stretch to any width without distorting letters.
 *
 *   <figure data-testid="rate-chart" data-total data-peak data-p50-ms data-max-ms>
 *     <svg> rect.rate-bar[data-count]… path.rate-p50 path.rate-max </svg>
 */
import { formatClock, formatLatency } from '../format.js';
import { summarizeRate, type RatePoint } from './rate-stats.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/**
 * The SVG's own coordinates (width × height); it is drawn at whatever size CSS gives it
 * (preserveAspectRatio none). `topMargin` is the room above the tallest bar or line, so it does
 * not touch the edge.
 */
const CHART = Object.freeze({ width: 600, height: 120, topMargin: 6 });

interface RateChartElements {
  readonly figure: HTMLElement;
  /** Where the scale tops (one element holding both, above the chart) and the summary go. */
  readonly countScale: HTMLElement;
  readonly latencyScale: HTMLElement;
  readonly summary: HTMLElement;
}

export class RateChart {
  readonly #elements: RateChartElements;
  readonly #svg: SVGSVGElement;
  readonly #bars: SVGGElement;
  readonly #p50: SVGPathElement;
  readonly #max: SVGPathElement;

  constructor(elements: RateChartElements) {
    this.#elements = elements;
    const document = elements.figure.ownerDocument;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${CHART.width} ${CHART.height}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Changes per second and commit to screen latency, last 60 seconds');
    svg.classList.add('rate-svg');
    const baseline = document.createElementNS(SVG_NS, 'line');
    baseline.setAttribute('x1', '0');
    baseline.setAttribute('x2', String(CHART.width));
    baseline.setAttribute('y1', String(CHART.height - 0.5));
    baseline.setAttribute('y2', String(CHART.height - 0.5));
    baseline.classList.add('rate-baseline');
    this.#bars = document.createElementNS(SVG_NS, 'g');
    this.#bars.classList.add('rate-bars');
    this.#p50 = linePathElement(document, 'rate-p50');
    this.#max = linePathElement(document, 'rate-max');
    svg.append(baseline, this.#bars, this.#max, this.#p50);
    this.#svg = svg;
    // Under the scale tops (they label the chart's top edge), above the caption.
    const scales = elements.countScale.parentElement;
    if (scales && scales.parentElement === elements.figure) scales.after(svg);
    else elements.figure.prepend(svg);
  }

  render(points: readonly RatePoint[]): void {
    const document = this.#svg.ownerDocument;
    const summary = summarizeRate(points);
    const countTop = niceCeiling(summary.peakPerSecond);
    const latencyTop = niceCeiling(Math.max(0, summary.maxMs ?? 0));
    const step = CHART.width / Math.max(1, points.length);
    const y = (value: number, top: number) => CHART.height - (Math.max(0, value) / top) * (CHART.height - CHART.topMargin);

    const bars: SVGRectElement[] = [];
    points.forEach((point, index) => {
      if (point.count === 0) return;
      const rect = document.createElementNS(SVG_NS, 'rect');
      const top = y(point.count, countTop);
      rect.setAttribute('x', (index * step + step * 0.1).toFixed(1));
      rect.setAttribute('width', (step * 0.8).toFixed(1));
      rect.setAttribute('y', top.toFixed(1));
      rect.setAttribute('height', (CHART.height - top).toFixed(1));
      rect.classList.add('rate-bar');
      rect.dataset['count'] = String(point.count);
      const title = document.createElementNS(SVG_NS, 'title');
      title.textContent = describePoint(point);
      rect.append(title);
      bars.push(rect);
    });
    this.#bars.replaceChildren(...bars);

    const center = (index: number) => index * step + step / 2;
    this.#p50.setAttribute(
      'd',
      linePath(points.map((point, index) => (point.p50Ms === undefined ? undefined : [center(index), y(point.p50Ms, latencyTop)]))),
    );
    this.#max.setAttribute(
      'd',
      linePath(points.map((point, index) => (point.maxMs === undefined ? undefined : [center(index), y(point.maxMs, latencyTop)]))),
    );

    const { figure, countScale, latencyScale } = this.#elements;
    countScale.textContent = `${countTop}/s`;
    latencyScale.textContent = summary.maxMs === undefined ? '' : formatLatency(latencyTop);
    figure.dataset['total'] = String(summary.total);
    figure.dataset['peak'] = String(summary.peakPerSecond);
    setOrRemove(figure, 'data-p50-ms', summary.latestP50Ms);
    setOrRemove(figure, 'data-max-ms', summary.maxMs);
    this.#elements.summary.textContent = describeSummary(summary);
  }
}

function describeSummary(summary: ReturnType<typeof summarizeRate>): string {
  if (summary.total === 0) return 'no changes in the last 60 s';
  const parts = [`${summary.total} ${summary.total === 1 ? 'change' : 'changes'} in 60 s`, `peak ${summary.peakPerSecond}/s`];
  if (summary.latestP50Ms !== undefined) parts.push(`p50 ${formatLatency(summary.latestP50Ms)}`);
  if (summary.maxMs !== undefined) parts.push(`max ${formatLatency(summary.maxMs)}`);
  return parts.join(' · ');
}

function describePoint(point: RatePoint): string {
  const parts = [formatClock(point.startMs), `${point.count} ${point.count === 1 ? 'change' : 'changes'}`];
  if (point.p50Ms !== undefined) parts.push(`p50 ${formatLatency(point.p50Ms)}`);
  if (point.maxMs !== undefined) parts.push(`max ${formatLatency(point.maxMs)}`);
  return parts.join(' · ');
}

function linePathElement(document: Document, className: string): SVGPathElement {
  const path = document.createElementNS(SVG_NS, 'path');
  path.classList.add(className);
  // Keeps the stroke's width when the SVG is stretched.
  path.setAttribute('vector-effect', 'non-scaling-stroke');
  path.setAttribute('fill', 'none');
  return path;
}

function setOrRemove(element: HTMLElement, attribute: string, value: number | undefined): void {
  if (value === undefined) element.removeAttribute(attribute);
  else element.setAttribute(attribute, String(Math.round(value)));
}

/**
 * The SVG path through the points, broken where a point is missing (a second without changes has no
 * latency). A lone point is drawn as a zero-length segment, which a round line cap shows as a dot.
 */
export function linePath(points: readonly (readonly [number, number] | undefined)[]): string {
  const commands: string[] = [];
  let run: (readonly [number, number])[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const [first, ...rest] = run.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`);
    commands.push(`M${first}`, ...(rest.length > 0 ? rest.map((point) => `L${point}`) : [`L${first}`]));
    run = [];
  };
  for (const point of points) {
    if (point) run.push(point);
    else flush();
  }
  flush();
  return commands.join(' ');
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1): a scale top a reader can use. */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * magnitude >= value) return factor * magnitude;
  }
  return 10 * magnitude;
}
