/**
 * /api/orders: list (keyset pages by id), read, create, update, delete. Input is checked with the
 * zod schemas of schemas.ts; failures are thrown as ApiError and answered by the app's error handler.
 * Writes go to Postgres only: the page learns of them through the change stream.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '@orders-live/protocol';
import type { Database } from '../db.js';
import { ApiError, notFound } from '../errors.js';
import { deleteOrder, getOrder, insertOrder, listOrders, updateOrder } from '../orders-repository.js';
import { parseInput } from '../parse-input.js';
import { createOrderSchema, listQuerySchema, orderParamsSchema, updateOrderSchema } from '../schemas.js';

export const ORDERS_PATH = '/api/orders';

export interface OrdersRoutesOptions {
  readonly db: Database;
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

export const ordersRoutes: FastifyPluginAsync<OrdersRoutesOptions> = async (app, { db }) => {
  app.get('/', async (request) => {
    const query = parseInput(listQuerySchema, request.query, 'query');
    return listOrders(db, query);
  });

  app.get('/:id', async (request) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    const order = await getOrder(db, id);
    if (!order) throw noOrder(id);
    return order;
  });

  app.post('/', async (request, reply) => {
    const input = parseInput(createOrderSchema, jsonBody(request), 'body');
    const order = await insertOrder(db, input);
    return reply.code(201).header('location', `${ORDERS_PATH}/${order.id}`).send(order);
  });

  app.patch('/:id', async (request) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    const patch = parseInput(updateOrderSchema, jsonBody(request), 'body');
    const order = await updateOrder(db, id, patch);
    if (!order) throw noOrder(id);
    return order;
  });

  app.delete('/:id', async (request, reply) => {
    const { id } = parseInput(orderParamsSchema, request.params, 'params');
    if (!(await deleteOrder(db, id))) throw noOrder(id);
    return reply.code(204).send();
  });
};
