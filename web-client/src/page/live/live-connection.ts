/**
 * A live subscription of the page, replaced when what it asks for changes (the filter): the old client
 * is let go (no longer shown, then closed) before a new OrdersLiveClient subscribes with the new spec.
 *
 *   start(filter) ──▶ client A shown, connecting…   start(other) ──▶ A unbound + closed; client B shown
 *
 * The network's state (the browser's online/offline events) is remembered and handed to each new client.
 */

/** The part of OrdersLiveClient this module drives. */
interface LiveClientHandle {
  connect(): void;
  close(): void;
  setNetworkOnline(online: boolean): void;
}

interface LiveConnectionDeps<C extends LiveClientHandle, S> {
  createClient(spec: S): C;
  /** Shows the client on the page; returns the function that stops showing it. */
  show(client: C): () => void;
}

export class LiveConnection<C extends LiveClientHandle, S> {
  readonly #deps: LiveConnectionDeps<C, S>;
  #client: C | undefined;
  #unshow: (() => void) | undefined;
  #online = true;

  constructor(deps: LiveConnectionDeps<C, S>) {
    this.#deps = deps;
  }

  get client(): C | undefined {
    return this.#client;
  }

  /** Subscribes as `spec` says, replacing the current subscription if there is one. */
  start(spec: S): C {
    this.stop();
    const client = this.#deps.createClient(spec);
    this.#client = client;
    client.setNetworkOnline(this.#online);
    this.#unshow = this.#deps.show(client);
    client.connect();
    return client;
  }

  setNetworkOnline(online: boolean): void {
    this.#online = online;
    this.#client?.setNetworkOnline(online);
  }

  /** Stops showing the current client and closes it. */
  stop(): void {
    this.#unshow?.();
    this.#unshow = undefined;
    this.#client?.close();
    this.#client = undefined;
  }
}
