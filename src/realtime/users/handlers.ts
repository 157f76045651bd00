import { AppError } from '../../core/errors.ts';
import type { UsersService } from '../../modules/users/index.ts';
import type { EventHandler } from '../event-router.ts';
import { rooms } from '../types.ts';

/** profile_updated (seed 000 user events). */
export function usersHandlers(deps: { users: UsersService; onProfileChanged: (userId: string) => void }) {
  const profileUpdated: EventHandler<'profile_updated'> = ({ socket, userId, now }, { userId: subject, changes }) => {
    if (subject !== userId) throw new AppError('FORBIDDEN', 'Only your own profile');
    deps.onProfileChanged(userId);
    // To the user's other sockets and to admins; never back to the sender.
    socket.to([rooms.user(userId), rooms.admins]).emit('profile_updated', { userId, changes, timestamp: new Date(now).toISOString() });
    return { userId };
  };
  return { profile_updated: profileUpdated } as const;
}
