import { randomUUID } from 'node:crypto';
import { isoNow, type Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { AppError } from '../../core/errors.ts';
import type { CreateRoomBody } from '../../protocol/families/chat.ts';
import type { ChatEvents, ChatRoom, ChatUser, RoomWithMembers } from './chat-types.ts';
import type { RoomsRepository } from './rooms.repository.ts';

export interface RoomsServiceDeps {
  repo: RoomsRepository;
  events: Publisher<ChatEvents>;
  clock: Clock;
  /** Trip rooms take no new messages this long after the trip ended. */
  tripRoomCloseAfterMs: number;
}

const denied = () => new AppError('ROOM_ACCESS_DENIED', 'Room not found or access denied');

/**
 * Rooms and their members: created over the HTTP API, on a first direct
 * message, and for every accepted trip. Every read on behalf of a user
 * checks membership in the same query (deny by default). Knows nothing
 * about sockets.
 */
export class RoomsService {
  constructor(private readonly d: RoomsServiceDeps) {}

  /** A direct room of the same two users is returned, not made again (`created: false`). */
  async create(input: CreateRoomBody): Promise<{ room: RoomWithMembers; created: boolean }> {
    const members = [...new Set(input.members)];
    if (input.type === 'direct' && members.length !== 2) throw new AppError('VALIDATION_ERROR', 'A direct room has exactly two different members', { field: 'members' });
    const id = input.id ?? randomUUID();
    const created = await this.d.repo.create({ id, name: input.name, type: input.type, members, now: isoNow(this.d.clock) });
    if (created) return { room: await this.withMembers(created), created: true };
    const existing = input.type === 'direct' ? await this.d.repo.findDirect(members[0]!, members[1]!) : null;
    if (!existing) throw new AppError('CONFLICT', `Room ${id} exists already`);
    return { room: await this.withMembers(existing), created: false };
  }

  /** The direct room of two users, made on first use (concurrent first uses make one room). */
  async direct(a: string, b: string): Promise<ChatRoom> {
    if (a === b) throw new AppError('VALIDATION_ERROR', 'A direct message needs another user', { field: 'recipientId' });
    const existing = await this.d.repo.findDirect(a, b);
    if (existing) return existing;
    const created = await this.d.repo.create({ id: randomUUID(), name: '', type: 'direct', members: [a, b], now: isoNow(this.d.clock) });
    return created ?? (await this.d.repo.findDirect(a, b)) ?? Promise.reject(new Error('direct room vanished'));
  }

  /** The room and member ids when `userId` is a member; ROOM_ACCESS_DENIED otherwise (also for a room that does not exist). */
  async requireMember(roomId: string, userId: string): Promise<{ room: ChatRoom; memberIds: string[] }> {
    const found = await this.d.repo.forMember(roomId, userId);
    if (!found) throw denied();
    return found;
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.d.repo.isMember(roomId, userId);
  }

  async get(roomId: string): Promise<RoomWithMembers> {
    const room = await this.d.repo.get(roomId);
    if (!room) throw new AppError('NOT_FOUND', `Room ${roomId} not found`);
    return this.withMembers(room);
  }

  async withMembers(room: ChatRoom): Promise<RoomWithMembers> {
    return { ...room, members: await this.d.repo.members(room.id) };
  }

  /** Group rooms only: the pair of a direct room and the parties of a trip are fixed. */
  async addMembers(roomId: string, userIds: readonly string[]): Promise<RoomWithMembers> {
    const room = await this.get(roomId);
    if (room.type !== 'group') throw new AppError('INVALID_STATE', `Members of a ${room.type} room are fixed`);
    const added = await this.d.repo.addMembers(roomId, [...new Set(userIds)], isoNow(this.d.clock));
    if (added.length) this.d.events.publish('chat.members_added', { roomId, userIds: added });
    return this.get(roomId);
  }

  /** The member loses the room at once: its sockets leave it on every node (the delivery layer). */
  async removeMember(roomId: string, userId: string): Promise<RoomWithMembers> {
    const room = await this.get(roomId);
    if (room.type !== 'group') throw new AppError('INVALID_STATE', `Members of a ${room.type} room are fixed`);
    if (!(await this.d.repo.removeMember(roomId, userId))) throw new AppError('NOT_FOUND', `${userId} is not a member of ${roomId}`);
    this.d.events.publish('chat.member_removed', { roomId, userId });
    return this.get(roomId);
  }

  /** The chat of an accepted trip: id = trip id, its passenger and driver (a replayed event makes nothing new). */
  async openTripRoom(tripId: string, passenger: ChatUser, driver: ChatUser): Promise<void> {
    await this.d.repo.create({ id: tripId, name: `Trip ${tripId}`, type: 'trip', members: [passenger, driver], now: isoNow(this.d.clock) });
  }

  /** A trip ended (completed or cancelled): its room closes `tripRoomCloseAfterMs` later. */
  async closeTripRoom(tripId: string, endedAt: string): Promise<void> {
    await this.d.repo.setClosesAt(tripId, new Date(Date.parse(endedAt) + this.d.tripRoomCloseAfterMs).toISOString());
  }
}
