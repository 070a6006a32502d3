/** Runs a zod schema on request input; a failure becomes a 400 E_VALIDATION naming each field. */
import type * as z from 'zod';
import { validationError, type InputLocation } from './errors.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues, location);
  return result.data;
}
