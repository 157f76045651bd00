import type { City, Point } from './city.ts';
import { send, type DemoSocket } from './agent.ts';
import type { DemoStats } from './stats.ts';

const PLACES = ['Central Station', 'City Hospital', 'University Gate', 'Grand Market', 'Riverside Mall', 'Stadium', 'Airport Road', 'Old Town Square', 'Harbour', 'Tech Park'];

/**
 * A rider's app: now and then requests a trip between two street corners,
 * follows it to completion and its payment, then waits before the next.
 */
export class Rider {
  private tripId: string | undefined;
  private nextRequestAt: number;
  private requesting = false;

  constructor(readonly id: string, private readonly socket: DemoSocket, private readonly city: City, private readonly random: () => number, private readonly msPerSimSecond: number, private readonly stats: DemoStats, now: number) {
    // Spread the first requests over the first simulated minute.
    this.nextRequestAt = now + random() * 60 * msPerSimSecond;
    socket.on('trip_accepted', (t) => t.tripId === this.tripId && this.stats.accepted++);
    socket.on('trip_completed', (t) => {
      if (t.tripId !== this.tripId) return;
      this.stats.completed++;
      this.done(Date.now());
    });
    socket.on('trip_expired', (t) => t.tripId === this.tripId && this.done(Date.now()));
    socket.on('trip_cancelled', (t) => t.tripId === this.tripId && this.done(Date.now()));
    socket.on('payment_completed', () => this.stats.payments++);
    socket.on('payment_failed', () => this.stats.errors++);
  }

  get activeTrip(): string | undefined {
    return this.tripId;
  }

  tick(now: number): void {
    if (this.tripId || this.requesting || now < this.nextRequestAt) return;
    void this.request(now);
  }

  private done(now: number): void {
    this.tripId = undefined;
    // Between one and five simulated minutes before the next trip.
    this.nextRequestAt = now + (60 + this.random() * 240) * this.msPerSimSecond;
  }

  private async request(now: number): Promise<void> {
    this.requesting = true;
    const pickup = this.city.corner();
    let dropoff: Point = this.city.corner(pickup, 6);
    if (dropoff.latitude === pickup.latitude && dropoff.longitude === pickup.longitude) dropoff = this.city.corner(pickup, 8);
    const place = () => PLACES[Math.floor(this.random() * PLACES.length)]!;
    const ack = await send(this.socket, 'trip_request', {
      pickupAddress: place(), pickupLatitude: pickup.latitude, pickupLongitude: pickup.longitude,
      dropoffAddress: place(), dropoffLatitude: dropoff.latitude, dropoffLongitude: dropoff.longitude,
      paymentMethod: this.random() < 0.8 ? 'wallet' : 'cash',
    });
    this.requesting = false;
    if (!ack.success) {
      this.stats.errors++;
      this.nextRequestAt = now + 30 * this.msPerSimSecond;
      return;
    }
    this.tripId = String(ack.data.tripId);
    this.stats.requested++;
    this.stats.tripIds.push(this.tripId);
  }

  /** Ends an unfinished trip so the next run starts clean (one active trip per rider and driver). */
  async cancelActive(): Promise<void> {
    if (this.tripId) await send(this.socket, 'trip_cancel', { tripId: this.tripId, reason: 'demo stopped' }, 3000);
  }

  /** An emergency button press during a trip. */
  async raiseAlert(location: Point): Promise<boolean> {
    const ack = await send(this.socket, 'emergency_alert', { tripId: this.tripId, location: { ...location, address: 'on the way' }, message: 'Driver took an unexpected turn (demo)', severity: 'medium' });
    if (ack.success) this.stats.alerts++;
    return ack.success;
  }

  close(): void {
    this.socket.close();
  }
}
