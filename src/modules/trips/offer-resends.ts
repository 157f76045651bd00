import type { Clock } from '../../core/clock.ts';
import type { OffersRepository } from './offers.repository.ts';
import { partyProfile, type ProfileReader } from './profiles.ts';
import type { TripsSettings } from './trip-settings.ts';
import type { PartyProfile, Trip } from './trip-types.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { TripsEvents } from './trips-events.ts';

export interface OfferResendDeps {
  offers: OffersRepository;
  profiles: ProfileReader;
  events: Publisher<TripsEvents>;
  clock: Clock;
  settings: TripsSettings;
}

/** A live offer as a driver is shown it again: the same trip, passenger and deadline as the first time. */
export interface PendingOffer { trip: Trip; passenger: PartyProfile; expiresAt: string }

const BATCH = 500;

/**
 * An offer is announced once, and with several nodes that announcement crosses
 * Redis: a lost publish would leave the only nearby driver unaware while the
 * passenger waits for the search to end. So an offer is shown again until it
 * is answered or expires: to a driver's socket as it signs in (`pendingFor`),
 * and every `offerResendS` while unanswered (`resendDue`, on every node's
 * sweeper tick). A resend carries the same tripId and expiresAt, so a client
 * that already has the offer just sees it again.
 *
 * When an offer was last sent is kept per node, not in the database: every
 * node resends, and the delivery layer shows the resend to that node's own
 * sockets only, so a node never depends on Redis to repeat what Redis lost.
 */
export class OfferResends {
  /** `tripId driverId` → when this node last resent the offer (epoch ms). */
  private readonly lastSent = new Map<string, number>();
  private running: Promise<number> | undefined;

  constructor(private readonly d: OfferResendDeps) {}

  /** The driver's live, unanswered offers, oldest first. */
  async pendingFor(driverId: string): Promise<PendingOffer[]> {
    const at = new Date(this.d.clock.now()).toISOString();
    const open = await this.d.offers.openOffers({ at, driverId, limit: BATCH });
    return Promise.all(open.map(async ({ trip, expiresAt }) => ({ trip, passenger: await this.passengerOf(trip), expiresAt })));
  }

  /** Publishes `trip.offer_resent` for offers unanswered for `offerResendS` since they were last sent; returns how many. */
  resendDue(): Promise<number> {
    this.running ??= this.resendOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async resendOnce(): Promise<number> {
    const everyMs = this.d.settings.offerResendS * 1000;
    if (everyMs <= 0) return 0;
    const now = this.d.clock.now();
    const open = await this.d.offers.openOffers({ at: new Date(now).toISOString(), offeredBefore: new Date(now - everyMs).toISOString(), limit: BATCH });
    const live = new Set<string>();
    // All live offers of a trip belong to its current wave, so they share one deadline; grouping by it is only a safeguard.
    const due = new Map<string, { trip: Trip; driverIds: string[]; expiresAt: string }>();
    for (const offer of open) {
      const key = `${offer.trip.id} ${offer.driverId}`;
      live.add(key);
      if (now - (this.lastSent.get(key) ?? Date.parse(offer.offeredAt)) < everyMs) continue;
      this.lastSent.set(key, now);
      const group = `${offer.trip.id} ${offer.expiresAt}`;
      const entry = due.get(group) ?? { trip: offer.trip, driverIds: [], expiresAt: offer.expiresAt };
      entry.driverIds.push(offer.driverId);
      due.set(group, entry);
    }
    // Answered, expired and withdrawn offers are no longer open: forget them.
    for (const key of this.lastSent.keys()) if (!live.has(key)) this.lastSent.delete(key);
    let resent = 0;
    for (const { trip, driverIds, expiresAt } of due.values()) {
      this.d.events.publish('trip.offer_resent', { trip, passenger: await this.passengerOf(trip), driverIds, wave: trip.wave, expiresAt });
      resent += driverIds.length;
    }
    return resent;
  }

  private passengerOf(trip: Trip): Promise<PartyProfile> {
    return partyProfile(this.d.profiles, trip.passengerId, trip.passengerName);
  }
}
