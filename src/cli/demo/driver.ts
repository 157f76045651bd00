import type { City, Point, Route } from './city.ts';
import { send, type DemoSocket } from './agent.ts';
import type { DemoStats } from './stats.ts';

export interface Motion {
  /** Street speed scaled by `--speed`, capped by `--max-kmh`: metres per real second. */
  metresPerSecond: number;
  /** Real milliseconds for a simulated second (1000 / `--speed`). */
  msPerSimSecond: number;
  random: () => number;
}

type Phase = { kind: 'cruising' } | { kind: 'to_pickup'; tripId: string; dropoff: Point } | { kind: 'waiting'; tripId: string; dropoff: Point; until: number } | { kind: 'on_trip'; tripId: string };

/**
 * A driver's app: reports its position along the streets, takes offers
 * while free, drives to the pickup, waits for the rider, drives to the
 * drop-off and completes the trip — through the same events a real driver
 * app sends.
 */
export class Driver {
  position: Point;
  private route: Route;
  private travelled = 0;
  private heading = 0;
  private phase: Phase = { kind: 'cruising' };
  private busy = false;

  constructor(readonly id: string, private readonly socket: DemoSocket, private readonly city: City, private readonly motion: Motion, private readonly stats: DemoStats, start: Point) {
    this.position = start;
    // Every driver first heads for the centre: it crosses the demo's geofence and fills the map's middle.
    this.route = city.route(start, city.corner(city.center, 1));
    socket.on('new_trip_available', (offer) => void this.consider(offer.tripId, offer.pickupLocation, offer.dropoffLocation));
    socket.on('trip_cancelled', (t) => {
      if ('tripId' in this.phase && this.phase.tripId === t.tripId) this.cruise();
    });
  }

  get tripId(): string | undefined {
    return 'tripId' in this.phase ? this.phase.tripId : undefined;
  }

  /** Moves `realMs` worth of driving and runs the trip's next step when a leg ends. */
  tick(realMs: number, now: number): void {
    if (this.phase.kind === 'waiting') {
      if (now >= this.phase.until && !this.busy) void this.startTrip(this.phase.tripId, this.phase.dropoff);
      return;
    }
    this.travelled += (this.motion.metresPerSecond * realMs) / 1000;
    const { position, heading } = this.route.at(this.travelled);
    this.position = position;
    this.heading = heading;
    if (this.travelled < this.route.lengthM || this.busy) return;
    if (this.phase.kind === 'cruising') this.setRoute(this.city.corner(this.position, 6));
    else if (this.phase.kind === 'to_pickup') void this.arrive(this.phase.tripId, this.phase.dropoff, now);
    else void this.complete(this.phase.tripId);
  }

  /** One GPS fix; the gateway refuses jumps faster than LOCATION_MAX_SPEED_KMH (hence `--max-kmh`). */
  report(): void {
    const speedKmh = this.phase.kind === 'waiting' ? 0 : Math.min(500, this.motion.metresPerSecond * 3.6);
    this.socket.emit('driver_location_update', {
      location: { ...this.position, heading: Math.round(this.heading), speed: Math.round(speedKmh), accuracy: 5 },
      isOnline: true,
      isAvailable: this.phase.kind === 'cruising',
    });
  }

  private setRoute(to: Point): void {
    this.route = this.city.route(this.position, to);
    this.travelled = 0;
  }

  private cruise(): void {
    this.phase = { kind: 'cruising' };
    this.setRoute(this.city.corner(this.position, 6));
  }

  private async step(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await fn();
    } finally {
      this.busy = false;
    }
  }

  private async consider(tripId: string, pickup: Point, dropoff: Point): Promise<void> {
    if (this.phase.kind !== 'cruising' || this.busy) return;
    // A driver glances at the offer before accepting; some let it pass.
    if (this.motion.random() < 0.15) return;
    await this.step(async () => {
      await new Promise((r) => setTimeout(r, (1 + this.motion.random() * 3) * this.motion.msPerSimSecond));
      if (this.phase.kind !== 'cruising') return;
      const ack = await send(this.socket, 'trip_accept', { tripId, driverLocation: this.position });
      if (!ack.success) return; // another driver was first, or the offer lapsed
      this.phase = { kind: 'to_pickup', tripId, dropoff };
      this.setRoute(pickup);
    });
  }

  private arrive(tripId: string, dropoff: Point, now: number): Promise<void> {
    return this.step(async () => {
      const ack = await send(this.socket, 'driver_arrived', { tripId });
      if (!ack.success) return this.cruise();
      // The rider takes 20–60 s to get in.
      this.phase = { kind: 'waiting', tripId, dropoff, until: now + (20 + this.motion.random() * 40) * this.motion.msPerSimSecond };
    });
  }

  private startTrip(tripId: string, dropoff: Point): Promise<void> {
    return this.step(async () => {
      const ack = await send(this.socket, 'trip_started', { tripId, startLocation: this.position });
      if (!ack.success) return this.cruise();
      this.phase = { kind: 'on_trip', tripId };
      this.setRoute(dropoff);
    });
  }

  private complete(tripId: string): Promise<void> {
    return this.step(async () => {
      const ack = await send(this.socket, 'trip_completed', { tripId, endLocation: this.position });
      if (!ack.success) this.stats.errors++;
      this.cruise();
    });
  }

  close(): void {
    this.socket.close();
  }
}
