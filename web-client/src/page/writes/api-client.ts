/**
 * The orders API (services/orders-api) as the page uses it: create, change, delete. The page only
 * writes here; what it shows comes from the change stream, never from these responses.
 *
 * Every call resolves (never rejects) to a result: the row/nothing, or an ApiError with a code. The
 * API's own codes are the shared ones (ERROR_CODES in @orders-live/protocol); failures that never got
 * an API answer get page-local codes (PAGE_ERROR_CODES). fetch is passed in, so tests use a fake.
 */
import * as z from 'zod';
import type { CreateOrder, FieldError, UpdateOrder } from '@orders-live/protocol';

/** A request that has not been answered in 10 s is given up: the operator should hear about it. */
const API_TIMEOUT_MS = 10_000;

/** Codes for failures the API did not answer with an error body of its own. */
const PAGE_ERROR_CODES = {
  /** fetch failed: the API is down, unreachable, or refused by CORS/CSP. */
  NETWORK: 'E_NETWORK',
  /** No answer within API_TIMEOUT_MS. */
  TIMEOUT: 'E_TIMEOUT',
  /** An HTTP error without the API's error body (a proxy's 502, say): `HTTP_<status>` is used instead when there is a status. */
  BAD_RESPONSE: 'E_BAD_RESPONSE',
} as const;

/** What POST /api/orders takes (the shared REST contract). amount is a decimal string, as the database holds it. */
export type OrderDraft = CreateOrder;
type OrderPatch = UpdateOrder;

export interface ApiError {
  /** The HTTP status; undefined when there was no response. */
  readonly status: number | undefined;
  readonly code: string;
  readonly message: string;
  /** Paths as the API sent them, joined with dots when they were arrays ("quantity", "body.amount"). */
  readonly fields: readonly FieldError[];
}

type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** The part of a fetch Response this module reads. */
export interface ResponseLike {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
}

export interface RequestLike {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

type FetchLike = (url: string, init: RequestLike) => Promise<ResponseLike>;

interface OrdersApiDeps {
  readonly fetch: FetchLike;
  /** A signal that aborts after `ms` (AbortSignal.timeout in the browser); none in tests. */
  readonly timeoutSignal?: (ms: number) => AbortSignal;
  /** The access token, sent as Authorization: Bearer on every call (access control on); none: no header. */
  readonly token?: string | undefined;
}

/**
 * The error body as the page reads it: the shape of the contract's errorBodySchema, read tolerantly
 * (any code, a path as a string or an array) so an API newer than the page still gets its message shown.
 */
const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    fields: z.array(z.object({ path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]), message: z.string() })).optional(),
  }),
});

/** What the page reads of a written row: its id, leniently (a bigint may come as a string). */
const writtenRowSchema = z.object({ id: z.union([z.number(), z.string()]) });
type WrittenRow = { readonly id: string };

export class OrdersApi {
  readonly #ordersUrl: string;
  readonly #fetch: FetchLike;
  readonly #timeoutSignal: ((ms: number) => AbortSignal) | undefined;
  readonly #token: string | undefined;

  /** `baseUrl` is the API's root, e.g. http://localhost:3002 (a path prefix is kept). */
  constructor(baseUrl: string, deps: OrdersApiDeps) {
    this.#ordersUrl = `${baseUrl.replace(/\/+$/, '')}/api/orders`;
    this.#fetch = deps.fetch;
    this.#timeoutSignal = deps.timeoutSignal;
    this.#token = deps.token;
  }

  /** POST /api/orders → 201 with the row. */
  create(draft: OrderDraft): Promise<ApiResult<WrittenRow>> {
    return this.#send('POST', this.#ordersUrl, draft, readWrittenRow);
  }

  /** PATCH /api/orders/:id → 200 with the row. */
  update(id: number, patch: OrderPatch): Promise<ApiResult<WrittenRow>> {
    return this.#send('PATCH', this.#orderUrl(id), patch, readWrittenRow);
  }

  /** DELETE /api/orders/:id → 204. */
  remove(id: number): Promise<ApiResult<void>> {
    return this.#send('DELETE', this.#orderUrl(id), undefined, async () => ({ ok: true, value: undefined }));
  }

  #orderUrl(id: number): string {
    return `${this.#ordersUrl}/${encodeURIComponent(String(id))}`;
  }

  async #send<T>(
    method: string,
    url: string,
    body: object | undefined,
    read: (response: ResponseLike) => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T>> {
    // No content-type without a body: a JSON content-type with an empty body is itself a 400.
    const headers: Record<string, string> =
      body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' };
    if (this.#token !== undefined) headers['authorization'] = `Bearer ${this.#token}`;
    const signal = this.#timeoutSignal?.(API_TIMEOUT_MS);
    const init: RequestLike = {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
    };
    let response: ResponseLike;
    try {
      const fetch = this.#fetch;
      response = await fetch(url, init);
    } catch (err) {
      return { ok: false, error: requestFailed(err) };
    }
    if (!response.ok) return { ok: false, error: await readError(response) };
    return read(response);
  }
}

async function readWrittenRow(response: ResponseLike): Promise<ApiResult<WrittenRow>> {
  const parsed = writtenRowSchema.safeParse(await readJson(response));
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        status: response.status,
        code: PAGE_ERROR_CODES.BAD_RESPONSE,
        message: 'the API answered without the order it wrote',
        fields: [],
      },
    };
  }
  return { ok: true, value: { id: String(parsed.data.id) } };
}

async function readError(response: ResponseLike): Promise<ApiError> {
  const parsed = errorBodySchema.safeParse(await readJson(response));
  if (!parsed.success) {
    return {
      status: response.status,
      code: `HTTP_${response.status}`,
      message: `the API answered ${response.status} without an error body`,
      fields: [],
    };
  }
  const { code, message, fields = [] } = parsed.data.error;
  return {
    status: response.status,
    code,
    message,
    fields: fields.map((field) => ({ path: typeof field.path === 'string' ? field.path : field.path.join('.'), message: field.message })),
  };
}

async function readJson(response: ResponseLike): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined; // no body, or not JSON: the caller reports what it expected instead
  }
}

function requestFailed(err: unknown): ApiError {
  const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String(err.name) : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return {
      status: undefined,
      code: PAGE_ERROR_CODES.TIMEOUT,
      message: `no answer from the orders API within ${API_TIMEOUT_MS / 1000} s`,
      fields: [],
    };
  }
  return { status: undefined, code: PAGE_ERROR_CODES.NETWORK, message: 'could not reach the orders API', fields: [] };
}
