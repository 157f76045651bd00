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
// Family A, ride-hailing trips.
export {
  TRIP_STATUSES, TRIP_TYPES, PAYMENT_METHODS, REJECT_REASONS, CANCELLED_BY,
  type TripStatus, type TripType, type PaymentMethod, type CancelledBy, type TripUnavailableReason, type TripSummary, type TripRoomData,
  type NewTripAvailablePayload, type TripAcceptedPayload, type TripAssignmentConfirmedPayload, type TripCompletedPayload, type TripCancelledPayload,
} from './families/rides.ts';
export { tripSummaryBody, tripWithHistoryBody, cancelTripBody } from './families/rides-http.ts';
// Family B, locations and fleet.
export {
  gpsFix, coordinates, type GpsFix, type WirePosition, type DriverLocationPayload, type NearbyDriverEntry, type NearbyDriversPayload,
} from './families/locations.ts';
export {
  VEHICLE_STATUSES, vehicleView, fleetLocation, createVehicleBody, patchVehicleBody, telemetryBody, telemetryResult,
  createGeofenceBody, geofenceView, historyQuery, historyBody,
  type VehicleStatus, type VehicleView, type FleetLocation, type GeofenceView, type GeofenceCrossingPayload, type HistoryBody,
} from './families/fleet.ts';
// Families D and E, notifications and emergencies.
export {
  NOTIFICATION_TYPES, ANNOUNCEMENT_LEVELS, notificationInput, sendNotificationBody, sendNotificationResult,
  type NotificationType, type AnnouncementLevel, type NotificationAction, type NotificationInput, type NotificationPayload,
  type NotificationNewPayload, type InboxEntry, type NotificationListPayload, type SystemAnnouncementPayload,
} from './families/notifications.ts';
export {
  ALERT_SEVERITIES, ALERT_STATUSES, alertLocation, createAlertBody, alertView, listAlertsQuery, alertList,
  type AlertSeverity, type AlertPriority, type AlertStatus, type AlertLocation, type EmergencyAlertPayload, type EmergencyAlertAcknowledgedPayload,
} from './families/emergencies.ts';
// Family C, payments and wallet.
export {
  walletCreditBody, walletCreditResult, walletView,
  type PaymentReceipt, type PaymentProcessingPayload, type PaymentCompletedPayload, type PaymentFailedPayload, type PaymentReceivedPayload,
} from './families/payments.ts';
// Family G, bookings (seed 002).
export {
  BOOKING_STATUSES, BOOKING_PAYMENT_STATUSES, createBookingBody, patchBookingBody, bookingPaymentBody, bookingView,
  type BookingStatus, type BookingPaymentStatus, type BookingView, type BookingCreatedPayload, type BookingUpdatedPayload, type BookingCancelledPayload,
} from './families/bookings.ts';
// Family F, presence and contacts (seed 003).
export {
  PRESENCE_STATUSES, MAX_CONTACTS, isPresenceStatus, putContactsBody, contactsView,
  type PresenceStatus, type ContactsView, type FriendPresenceChangedPayload, type UserOnlinePayload, type UserOfflinePayload,
} from './families/presence.ts';
// Family F, chat (rooms, messages, DMs, reads, typing; seed 002 conversations).
export {
  CHAT_ROOM_TYPES, MESSAGE_MAX_CHARS, createRoomBody, membersBody, roomBody,
  type ChatRoomType, type ChatMessagePayload, type ChatRoomView, type RoomJoinedPayload, type HistoryPage, type ConversationMessagePayload,
} from './families/chat.ts';
// Family H, live events (seed 004), and what backends publish.
export {
  publishBody, publishMessage, publishTarget, publishResult, webhookBody, webhookResult, WEBHOOK_TYPES, STAMPED_EVENTS, CUSTOM_EVENT, PUBLISHABLE_ROOM,
  PUBLISH_MAX_MESSAGES, PUBLISH_MAX_USER_IDS, PUBLISH_MAX_DATA_BYTES,
  type PublishBody, type PublishMessage, type PublishTarget, type PublishResult, type WebhookBody, type WebhookType,
  type TicketPurchasedPayload, type TicketTransferredPayload, type EventUpdatedPayload, type BalanceUpdatedPayload, type MarketUpdatePayload,
} from './families/live-events.ts';
// Durable streams and recovery.
export { recoveryIncompletePayload, type RecoveryIncompletePayload } from './families/streams.ts';
// The operator dashboard (/admin).
export {
  DRIVER_STATES, VEHICLE_STATES, dashboardSnapshot, dashboardPositions,
  type DriverState, type VehicleState, type DashboardDriver, type DashboardVehicle, type DashboardTrip, type DashboardSnapshot, type DashboardPositions,
} from './families/dashboard.ts';
