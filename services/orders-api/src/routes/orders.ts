/**
 * /api/orders: list (keyset pages by id), read, create, update, delete. Input is checked with the
 * zod schemas of schemas.ts; failures are thrown as ApiError and answered by the app's error handler.
 * Writes go to Postgres only: the page learns of them through the change stream.
 *
 * With access control on (options.auth), every route first authenticates the request
 * (authenticate.ts: 401 without a valid token; orders-grant.ts: 403 E_TABLE_NOT_GRANTED for a token
 * that does not grant orders). A token that pins a row filter on orders restricts the list to it,
 * answers 403 for another row (404 still means no such order), and writes through pinned-orders.ts,
 * which refuses (403) any write that would touch or produce a row outside it.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AuthSettings } from '@orders-live/auth';
import {
  ERROR_CODES,
  matchesFilter,
  createOrderSchema,
  listQuerySchema,
  orderParamsSchema,
  updateOrderSchema,
} from '@orders-live/protocol';
import { authenticate } from '../authenticate.js';
import type { TransactionalDatabase } from '../db.js';
import { ApiError, notFound } from '../errors.js';
import { ordersFilter } from '../orders-grant.js';
import { deleteOrder, getOrder, insertOrder, listOrders, updateOrder } from '../orders-repository.js';
import { parseInput } from '../parse-input.js';
import { deleteWithin, insertWithin, notYours, updateWithin } from '../pinned-orders.js';

export const ORDERS_PATH = '/api/orders';

interface OrdersRoutesOptions {
  readonly db: TransactionalDatabase;
  /** Access control; undefined: off. */
  readonly auth: AuthSettings | undefined;
  /** Epoch milliseconds, for token expiry. */
  readonly now: () => number;
}

/**
 * The parsed JSON body. fastify itself answers 415 for a body of another type (only the JSON parser is
 * registered); this covers a POST or PATCH with no body and no content-type at all.
 */
function jsonBody(request: FastifyRequest): unknown {
  if (request.body === undefined) {
    throw new ApiError(415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'expected a JSON body with content-type application/json');
  }
  return request.body;
}

function noOrder(id: number): ApiError {
  return notFound(`no order with id ${id}`);
}

/** The row filter the request's access token pins on orders, if any (orders-grant.ts). */
function pinned(request: FastifyRequest) {
  return ordersFilter(request.access);
}

export const ordersRoutes: FastifyPluginAsync<OrdersRoutesOptions> = async (app, { db, auth, now }) => {
  if (auth) {
    app.addHook('onRequest', authenticate(auth, now));
    // A token that does not grant orders is refused before the request is even validated, as a bad token is.
    app.addHook('onRequest', async (request) => void pinned(request));
  }

  app.get('/', async (request) => {
    const query = parseInput(listQuerySchema, request.query, 'query');
    return listOrders(db, { ...query, within: pinned(request) });
  });

  app.get('/:id', async (request) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    const order = await getOrder(db, id);
    if (!order) throw noOrder(id);
    const filter = pinned(request);
    if (filter && !matchesFilter(filter, order)) throw notYours(id);
    return order;
  });

  app.post('/', async (request, reply) => {
    const input = parseInput(createOrderSchema, jsonBody(request), 'body');
    const filter = pinned(request);
    const order = filter ? await insertWithin(db, input, filter) : await insertOrder(db, input);
    return reply.code(201).header('location', `${ORDERS_PATH}/${order.id}`).send(order);
  });

  app.patch('/:id', async (request) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    const patch = parseInput(updateOrderSchema, jsonBody(request), 'body');
    const filter = pinned(request);
    const order = filter ? await updateWithin(db, id, patch, filter) : await updateOrder(db, id, patch);
    if (!order) throw noOrder(id);
    return order;
  });

  app.delete('/:id', async (request, reply) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    const filter = pinned(request);
    const deleted = filter ? await deleteWithin(db, id, filter) : await deleteOrder(db, id);
    if (!deleted) throw noOrder(id);
    return reply.code(204).send();
  });
};
