import { validationError } from '../../core/errors.ts';
import { WEBHOOK_TYPES, type PublishMessage, type WebhookBody } from '../../protocol/index.ts';

const idField = (data: Record<string, unknown>, key: string): string => {
  const v = data[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw validationError('request', [{ path: ['data', key], message: 'expected an id string' }]);
  return v;
};

/**
 * A webhook event as the message it broadcasts (seed 004's webhook
 * processor): ticket and event changes to the event's room, balances to the
 * user, announcements and market data to everyone.
 */
export function webhookMessage(body: WebhookBody): PublishMessage {
  const event = WEBHOOK_TYPES[body.type];
  switch (event) {
    case 'ticket-purchased':
    case 'ticket-transferred':
    case 'event-updated':
      return { to: { eventId: idField(body.data, 'eventId') }, event, data: body.data };
    case 'balance-updated':
      return { to: { userId: idField(body.data, 'userId') }, event, data: body.data };
    case 'system-announcement':
    case 'market-update':
      return { to: { all: true }, event, data: body.data };
  }
}
