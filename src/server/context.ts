import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../domain/time/clock';
import type { Role } from '../domain/staff/roles';
import type { Database } from '../store/database';
import type { AuthSessionRow } from '../store/auth-sessions';
import type { StaffRow } from '../store/staff';
import type { Actor } from '../store/transaction';
import type { ServerConfig } from './config';
import type { PasswordHasher } from './auth/passwords';
import type { RecentConfirmations } from './auth/recent-confirmations';

/** What every operation needs, injected once so tests can swap the clock or the database. */
export interface AppContext {
  db: Database;
  clock: Clock;
  config: ServerConfig;
  passwords: PasswordHasher;
  /** Witness and signature passwords proved against their hash in the last few minutes. */
  confirmations: RecentConfirmations;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface SignedIn {
  session: AuthSessionRow;
  /** The raw token from the cookie (needed to derive the CSRF token); never stored. */
  sessionToken: string;
  staff: StaffRow;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member of staff, or null. */
    auth: SignedIn | null;
    /** The staff member's roles at the clinic in the URL (clinic routes only). */
    rolesHere: Role[];
    actor: Actor;
  }
}
