/** Room names in one place (the room table in docs/protocol.md). */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  drivers: 'drivers',
  admins: 'admins',
  fleet: 'fleet',
  trip: (tripId: string) => `trip:${tripId}`,
  driverLocation: (driverId: string) => `driver_location:${driverId}`,
  vehicle: (vehicleId: string) => `vehicle:${vehicleId}`,
  booking: (bookingId: string) => `booking:${bookingId}`,
  chat: (roomId: string) => `chat:${roomId}`,
  event: (eventId: string) => `event:${eventId}`,
  /** This node's sockets whose outbound backlog is over the limit (src/realtime/slow-clients.ts): positions skip them. */
  slowClients: 'slow-clients',
} as const;
