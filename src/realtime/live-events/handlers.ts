import type { EventHandler } from '../event-router.ts';
import { rooms } from '../types.ts';

/**
 * Family H (seed 004): event rooms. Anyone may watch an event, anonymous
 * sockets included (the router allows it and rate-limits them by address);
 * only backends publish into the room.
 */
export function liveEventsHandlers() {
  const join: EventHandler<'join-event'> = async ({ socket, emit }, eventId) => {
    await socket.join(rooms.event(eventId));
    emit('room-joined', eventId);
    return { eventId };
  };

  const leave: EventHandler<'leave-event'> = async ({ socket }, eventId) => {
    const room = rooms.event(eventId);
    const left = socket.rooms.has(room);
    if (left) await socket.leave(room);
    return { eventId, left };
  };

  return { 'join-event': join, 'leave-event': leave } as const;
}
