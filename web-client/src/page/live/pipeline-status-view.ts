/**
 * Shows which part of the pipeline is down or catching up, only while the client is not live: it
 * asks /readyz when the connection leaves "live" and again every STATUS_REFRESH_MS until it is
 * back, and asks nothing while live.
 */
import type { ConnectionState } from '@orders-live/client';
import { readinessUrl } from '@orders-live/protocol';
import { describeStatus, readStatus } from './pipeline-status.js';

/** While not live, how often the explanation is refreshed (the countdown ticks on its own). */
const STATUS_REFRESH_MS = 5_000;
/** A /readyz that does not answer within this is taken as the service being unreachable. */
const STATUS_TIMEOUT_MS = 3_000;

interface PipelineStatusDeps {
  readonly element: HTMLElement;
  readonly websocketUrl: string;
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly setTimeout: (run: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

interface StateSource {
  readonly state: ConnectionState;
  on(event: 'state', listener: (state: ConnectionState) => void): () => void;
}

/** Binds the explanation to a client; returns the function that stops it. */
export function bindPipelineStatus(client: StateSource, deps: PipelineStatusDeps): () => void {
  const url = readinessUrl(deps.websocketUrl);
  let timer: unknown;
  let asking = false;
  /** Bumped whenever asking stops, so an answer that arrives late is dropped. */
  let round = 0;

  const show = (text: string | undefined) => {
    deps.element.textContent = text ?? '';
    deps.element.hidden = text === undefined;
  };

  const ask = async (mine: number) => {
    let text: string | undefined;
    try {
      const response = await deps.fetch(url, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      text = describeStatus(readStatus(await response.json()), true);
    } catch {
      text = describeStatus(undefined, false);
    }
    if (mine !== round) return;
    show(text);
    timer = deps.setTimeout(() => void ask(mine), STATUS_REFRESH_MS);
  };

  const stopAsking = () => {
    asking = false;
    round += 1;
    deps.clearTimeout(timer);
    timer = undefined;
    show(undefined);
  };

  const onState = (state: ConnectionState) => {
    if (state.name === 'live') stopAsking();
    else if (!asking) {
      asking = true;
      void ask(round);
    }
  };

  const off = client.on('state', onState);
  onState(client.state);
  return () => {
    off();
    stopAsking();
  };
}

/** The line the explanation goes in: beside the connection pill, made here so the page's HTML need not change. */
export function pipelineStatusElement(doc: Document): HTMLElement {
  return lineBesidePill(doc, 'pipeline-status', 'pipeline-status');
}

/** A line beside the connection pill with this test id (made once; found again after). */
export function lineBesidePill(doc: Document, testId: string, className: string): HTMLElement {
  const existing = doc.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (existing) return existing;
  const element = doc.createElement('span');
  element.className = className;
  element.dataset['testid'] = testId;
  element.setAttribute('aria-live', 'polite');
  element.hidden = true;
  const pill = doc.querySelector('[data-testid="connection-state"]');
  (pill?.parentElement ?? doc.body).append(element);
  return element;
}
