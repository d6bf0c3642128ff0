import type { FastifyRequest } from 'fastify';
import { ApiError } from '../api-error';
import { principalOf } from '../bearer-auth';

/** A preHandler: the bearer token must be the admin's (401 without a valid token, 403 for an organiser's). */
export function requireAdmin(authenticate: (request: FastifyRequest) => Promise<void>) {
  return async function adminOnly(request: FastifyRequest): Promise<void> {
    await authenticate(request);
    if (principalOf(request).kind !== 'admin')
      throw new ApiError(403, 'forbidden', 'the live view and its actions are for the admin token only');
  };
}
