/**
 * Keeps the pill and the line under it true about freshness while live: on every freshness frame,
 * on every state change, and every second (so a server gone quiet is noticed without a frame).
 */
import type { ConnectionState, HeardFreshness } from '@orders-live/client';
import { formatClock } from '../format.js';
import { freshnessView, type FreshnessView } from './freshness-view.js';
import { lineBesidePill } from './pipeline-status-view.js';

/** How often the view is looked at again with no frame: a silent server is named within a second of its threshold. */
const FRESHNESS_TICK_MS = 1_000;

interface FreshnessSource {
  readonly state: ConnectionState;
  readonly freshness: HeardFreshness | undefined;
  on(event: 'state', listener: (state: ConnectionState) => void): () => void;
  on(event: 'freshness', listener: (freshness: HeardFreshness) => void): () => void;
}

interface FreshnessBindingDeps {
  readonly display: { showFreshness(view: FreshnessView): void };
  /** The line under the pill. */
  readonly element: HTMLElement;
  readonly now: () => number;
  readonly setInterval: (run: () => void, ms: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

export function bindFreshness(client: FreshnessSource, deps: FreshnessBindingDeps): () => void {
  let liveSince = deps.now();
  let wasLive = false;
  const render = () => {
    const live = client.state.name === 'live';
    if (live && !wasLive) liveSince = deps.now();
    wasLive = live;
    const view = freshnessView(live, client.freshness, liveSince, deps.now(), (ms) => formatClock(ms));
    deps.display.showFreshness(view);
    deps.element.textContent = view.line ?? '';
    deps.element.hidden = view.line === undefined;
  };
  const offState = client.on('state', render);
  const offFreshness = client.on('freshness', render);
  const ticker = deps.setInterval(render, FRESHNESS_TICK_MS);
  render();
  return () => {
    offState();
    offFreshness();
    deps.clearInterval(ticker);
    deps.element.hidden = true;
  };
}

/** The line: beside the pipeline status, made here so the page's HTML need not change. */
export function freshnessElement(doc: Document): HTMLElement {
  return lineBesidePill(doc, 'freshness', 'pipeline-status freshness-status');
}
