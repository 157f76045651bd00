/**
 * @livegate/client: a typed client for the Livegate gateway. Event names,
 * payloads, acknowledgements and error codes come from the gateway's protocol
 * module (generated into ./generated/protocol.ts).
 */
export { LivegateClient, createClient } from './client.ts';
export { LivegateEventStream, connectEventStream, type EventStreamOptions } from './event-stream.ts';
export { LivegateError, CLIENT_ERROR_CODES, type ClientErrorCode } from './errors.ts';
export type { ClientOptions, ConnectionStatus } from './options.ts';
export type { TokenProvider } from './token.ts';
export { tokenExpiry } from './token.ts';
export type {
  AckData, ErrorCode, EventHandler, EventName, EventPayload, InboundEvents, OutboundEvents, RequestArgs, RequestName, RequestPayload,
} from './events.ts';
