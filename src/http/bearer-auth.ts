import type { FastifyRequest } from 'fastify';
import type { Principal } from '../booking/booking-service';
import { hashToken, tokensEqual } from '../booking/organizer-token';
import type { OrganizerRepository } from '../booking/organizer-repository';
import { ApiError } from './api-error';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requirePrincipal` on authenticated routes. */
    principal?: Principal;
  }
}

/**
 * Resolves `Authorization: Bearer <token>` (RFC 6750 §2.1) to the admin (constant-time compare
 * with `CONFGATE_ADMIN_TOKEN`) or to the organiser whose token hash matches; 401 otherwise.
 */
export function bearerAuth(organizers: OrganizerRepository, adminToken: string | undefined) {
  return async function requirePrincipal(request: FastifyRequest): Promise<void> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!m) throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>');
    const token = m[1]!;
    if (adminToken !== undefined && tokensEqual(token, adminToken)) {
      request.principal = { kind: 'admin' };
      return;
    }
    const organizer = await organizers.findByTokenHash(hashToken(token));
    if (!organizer) throw new ApiError(401, 'unauthorized', 'unknown or revoked token');
    request.principal = { kind: 'organizer', organizer };
  };
}

/** The principal of an authenticated request (the hook has run). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, 'unauthorized', 'not authenticated');
  return request.principal;
}
