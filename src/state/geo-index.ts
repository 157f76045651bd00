import { distanceM } from '../core/geo.ts';
/**
 * The nearby-driver index. Every node keeps a full in-process copy (fed by the
 * node's own drivers and, across nodes, by a shared position feed), so a
 * nearby query never leaves the process. Dispatch and `get_nearby_drivers`
 * use the same index.
 */
export interface DriverPoint {
  driverId: string;
  latitude: number;
  longitude: number;
  heading?: number | undefined;
  speed?: number | undefined;
  /** When the fix was taken, epoch ms. */
  at: number;
  isAvailable: boolean;
  vehicleType?: string | undefined;
}

export interface NearbyQuery {
  latitude: number;
  longitude: number;
  radiusM: number;
  limit: number;
  /** Only fixes taken at or after this epoch ms (DRIVER_STALE_AFTER_S). */
  freshSince: number;
  availableOnly: boolean;
  vehicleType?: string | undefined;
  exclude?: ReadonlySet<string> | undefined;
}

export interface NearbyDriver extends DriverPoint {
  distanceM: number;
}

export interface GeoIndex {
  /** Inserts or moves a driver; O(1)-ish. */
  upsert(point: DriverPoint): void;
  setAvailability(driverId: string, isAvailable: boolean): void;
  remove(driverId: string): void;
  get(driverId: string): DriverPoint | undefined;
  /** Nearest first, within radiusM, at most limit. */
  nearby(query: NearbyQuery): NearbyDriver[];
  readonly size: number;
}

export function matches(p: DriverPoint, q: NearbyQuery): boolean {
  return p.at >= q.freshSince && (!q.availableOnly || p.isAvailable) && (q.vehicleType === undefined || p.vehicleType === q.vehicleType) && !q.exclude?.has(p.driverId);
}

/** Nearest first; ties by driverId so results are deterministic. */
export const byDistance = (a: NearbyDriver, b: NearbyDriver) => a.distanceM - b.distanceM || (a.driverId < b.driverId ? -1 : a.driverId > b.driverId ? 1 : 0);

/**
 * A linear scan over every driver: the reference implementation (the oracle
 * for property tests and the baseline for benchmarks). Not for production size.
 */
export class LinearGeoIndex implements GeoIndex {
  private readonly points = new Map<string, DriverPoint>();

  upsert(point: DriverPoint): void {
    this.points.set(point.driverId, { ...point });
  }

  setAvailability(driverId: string, isAvailable: boolean): void {
    const p = this.points.get(driverId);
    if (p) p.isAvailable = isAvailable;
  }

  remove(driverId: string): void {
    this.points.delete(driverId);
  }

  get(driverId: string): DriverPoint | undefined {
    return this.points.get(driverId);
  }

  nearby(q: NearbyQuery): NearbyDriver[] {
    const out: NearbyDriver[] = [];
    for (const p of this.points.values()) {
      if (!matches(p, q)) continue;
      const d = distanceM(q.latitude, q.longitude, p.latitude, p.longitude);
      if (d <= q.radiusM) out.push({ ...p, distanceM: d });
    }
    return out.sort(byDistance).slice(0, q.limit);
  }

  get size(): number {
    return this.points.size;
  }
}
