import { registerUsersRoutes } from '../http/routes/users.routes.ts';
import { usersHandlers } from '../realtime/users/handlers.ts';
import { deliverUserEvents, recheckAccountAfterJoin } from '../realtime/user-delivery.ts';
import type { FamilyContext } from './context.ts';

/** Users (family D's account half): profiles and statuses over HTTP, `profile_updated`, `user_status_changed`, suspension. */
export function attachUsers(ctx: FamilyContext): void {
  const { users, userEvents, delivery, metrics, log } = ctx;
  ctx.handle(usersHandlers({ users, onProfileChanged: ctx.profiles.changed }));
  deliverUserEvents(userEvents, delivery);
  userEvents.on('user.status_changed', ({ userId }) => ctx.profiles.changed(userId));
  userEvents.on('user.profile_changed', ({ userId }) => ctx.profiles.changed(userId));
  // A suspension between the handshake's account check and the join.
  ctx.onAuthenticated(recheckAccountAfterJoin(users, metrics, log));
  registerUsersRoutes(ctx.http, { users, guard: ctx.guards.staff });
}
