import type { Clock } from '../../core/clock.ts';
import type { LatLng } from '../../core/ride-ports.ts';
import type { GeoIndex } from '../../state/geo-index.ts';
import type { Candidate, OffersRepository } from './offers.repository.ts';
import { partyProfile, type ProfileReader } from './profiles.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { TripsEvents } from './trips-events.ts';
import type { TripsSettings } from './trip-settings.ts';
import type { PartyProfile, Trip } from './trip-types.ts';

export interface DispatchDeps {
  offers: OffersRepository;
  geo: GeoIndex;
  profiles: ProfileReader;
  events: Publisher<TripsEvents>;
  clock: Clock;
  settings: TripsSettings;
}

export interface WaveResult { wave: number; offered: number }

/**
 * Offers a searching trip to drivers in waves. A wave asks the geo index for
 * available drivers with a fresh fix within the wave's radius (skipping those
 * already offered this trip), then claims the wave and records its offers in
 * one conditional statement: of several nodes dispatching the same trip, one
 * wins and the others do nothing. A wave that finds nobody widens at once; at
 * the widest radius it is retried after `emptyWaveRetryS`.
 */
export class TripDispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /**
   * Available drivers with a fresh fix within wave `wave`'s radius, nearest
   * first, skipping `exclude`. Twice the wave size: SQL may still drop
   * drivers who are on a trip the index does not know about.
   */
  candidates(pickup: LatLng, wave: number, now: number, exclude?: ReadonlySet<string>): Candidate[] {
    const { geo, settings } = this.deps;
    const radii = settings.dispatchRadiiM;
    return geo.nearby({
      latitude: pickup.latitude,
      longitude: pickup.longitude,
      radiusM: radii[Math.min(wave - 1, radii.length - 1)]!,
      limit: settings.offersPerWave * 2,
      freshSince: now - settings.driverStaleAfterS * 1000,
      availableOnly: true,
      exclude,
    });
  }

  /** When a wave's offers expire: the offer TTL, but never after the search ends. */
  waveDeadline(trip: Pick<Trip, 'searchExpiresAt'>, now: number): string {
    return new Date(Math.min(now + this.deps.settings.offerTtlS * 1000, Date.parse(trip.searchExpiresAt))).toISOString();
  }

  /** Tells the drivers of a wave (one event, one emit). */
  async announce(trip: Trip, driverIds: string[], wave: number, expiresAt: string, passenger?: PartyProfile): Promise<void> {
    const party = passenger ?? (await partyProfile(this.deps.profiles, trip.passengerId, trip.passengerName));
    this.deps.events.publish('trip.offered', { trip, passenger: party, driverIds, wave, expiresAt });
  }

  /** Dispatches the wave after `trip.wave`; null when someone else claimed it or the trip stopped searching. */
  async nextWave(trip: Trip, passenger?: PartyProfile): Promise<WaveResult | null> {
    const { offers, clock, settings } = this.deps;
    const now = clock.now();
    const at = new Date(now).toISOString();
    const searchEnd = Date.parse(trip.searchExpiresAt);
    const radii = settings.dispatchRadiiM;
    const already = trip.wave > 0 ? await offers.offeredDrivers(trip.id) : new Set<string>();
    for (let wave = trip.wave + 1; ; wave++) {
      const candidates = this.candidates(trip.pickup, wave, now, already);
      const deadline = this.waveDeadline(trip, now);
      const claim = await offers.claimWave({ tripId: trip.id, wave, at, deadline, candidates, limit: settings.offersPerWave });
      if (!claim.claimed) return null;
      if (claim.expired.length) this.deps.events.publish('trip.offers_withdrawn', { tripId: trip.id, driverIds: claim.expired, reason: 'offer_expired' });
      if (claim.offered.length) {
        await this.announce(trip, claim.offered, wave, deadline, passenger);
        return { wave, offered: claim.offered.length };
      }
      if (wave >= radii.length) {
        await offers.setWaveDeadline(trip.id, wave, new Date(Math.min(now + settings.emptyWaveRetryS * 1000, searchEnd)).toISOString());
        return { wave, offered: 0 };
      }
    }
  }
}
