/**
 * @livegate/react: React hooks over @livegate/client. Each hook is a thin
 * layer: it joins what it needs (again after reconnects), listens to typed
 * events and exposes the requests as functions.
 */
export { LivegateProvider, useLivegate, useConnectionStatus, type LivegateProviderProps } from './context.tsx';
export { useEvent } from './use-event.ts';
export { useTrip, type TripState, type TripStatus } from './use-trip.ts';
export { useDriverLocation, type DriverLocation } from './use-driver-location.ts';
export { useNotifications, type Notification, type NotificationsState } from './use-notifications.ts';
export { usePresence, type ContactPresence, type PresenceState } from './use-presence.ts';
export { useChatRoom, type ChatMessage, type ChatRoomState } from './use-chat-room.ts';
