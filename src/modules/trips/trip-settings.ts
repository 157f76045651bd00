import type { TripType } from '../../protocol/families/rides.ts';

/** A tariff in integer minor units (no float arithmetic on money). */
export interface Tariff {
  readonly baseMinor: number;
  /** Minor units per kilometre. */
  readonly perKmMinor: number;
  /** Minor units per minute. */
  readonly perMinuteMinor: number;
  readonly minimumMinor: number;
}

/** What the trips module is configured with (Config.trips). */
export interface TripsSettings {
  /** Drivers without a fix for this long are not offered trips. */
  readonly driverStaleAfterS: number;
  /** Road distance = great-circle distance × this. */
  readonly detourFactor: number;
  /** The speed profile for duration estimates. */
  readonly urbanSpeedKmh: number;
  readonly tariffs: Readonly<Record<TripType, Tariff>>;
  /** How long a driver has to answer an offer; an unanswered wave widens after it. */
  readonly offerTtlS: number;
  /** A live, unanswered offer is published again (`trip.offer_resent`) this often; 0 = never. */
  readonly offerResendS: number;
  /** A trip nobody accepted within this is expired. */
  readonly searchTimeoutS: number;
  /** Radius of each wave in metres, ascending; later waves keep the last. */
  readonly dispatchRadiiM: readonly number[];
  readonly offersPerWave: number;
  /** A wave that found nobody is retried after this (instead of the offer TTL). */
  readonly emptyWaveRetryS: number;
  /** 0 = no timer (tests call `sweep()`). */
  readonly sweepIntervalMs: number;
}
