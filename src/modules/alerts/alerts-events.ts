import type { Alert } from './alert-types.ts';

/** What the alerts module reports; src/realtime/alerts/delivery.ts turns these into emits. */
export interface AlertsEvents {
  /** `partyIds`: users of the verified trip other than the reporter, who get `emergency_alert` too. */
  'alert.raised': { alert: Alert; partyIds: readonly string[] };
  /** Published once per alert, by the acknowledgement that won. */
  'alert.acknowledged': { alert: Alert };
}

