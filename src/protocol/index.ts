/**
 * The wire contract: event names, payload schemas, error codes. Imports
 * nothing from the server; server, tests and clients all use it.
 */
export * from './errors.ts';
export * from './roles.ts';
export * from './ack.ts';
export * from './define.ts';
export * from './events.ts';
export * as schemas from './schemas.ts';
export { USER_STATUSES, type UserStatus, type UserStatusChangedPayload, type ProfileUpdatedPayload } from './families/users.ts';
export type { AuthenticatedPayload, AuthErrorPayload, ErrorEventPayload, ServerShutdownPayload } from './families/connection.ts';
