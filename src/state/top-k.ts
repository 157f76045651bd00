import { type DriverPoint, type NearbyQuery } from './geo-index.ts';
import { distanceM } from '../core/geo.ts';
import type { LevelEntry } from './grid-level.ts';

/** The sphere `distanceM` uses; every bound below must hold on the same sphere. */
export const EARTH_RADIUS_M = 6_371_008.8;
export const RAD = Math.PI / 180;

/** Haversine of an angle in radians (0 … 1 on [0, π]). */
export const hav = (angle: number): number => Math.sin(Math.min(angle, Math.PI) / 2) ** 2;

/** Relative and absolute slack on every bound: far above the rounding of the haversine, far below a metre. */
const SLACK = 1 + 1e-9;

/**
 * The running query's best `limit` matches, sorted by (distance, driverId) as
 * `byDistance` orders them: reused arrays and a count, so a query allocates
 * nothing but its answer.
 *
 * Whenever the bound (the radius, then the `limit`-th distance) shrinks, it
 * is turned into three cheap tests, so most candidates are refused without
 * any trigonometry (measured: the haversine is most of a query's time):
 *   - |Δlatitude| ≤ `latSlackDeg`, as the distance is at least R·|Δφ|;
 *   - |Δlongitude| ≤ `lonSlackDeg`, as hav(d/R) ≥ cos φ₁·cos φ₂·hav(Δλ) and
 *     φ₂ lies within the latitude band the first test allows;
 *   - `havBound`, against which the grid compares a cell's lower bound.
 * Each is loosened by `SLACK`, so a point at exactly the bound (which could
 * still win the driverId tie-break) is never refused.
 */
export class TopK {
  readonly d: number[] = [];
  readonly p: DriverPoint[] = [];
  n = 0;
  latSlackDeg = 0;
  lonSlackDeg = Infinity;
  havBound = 1;
  /** cos of the query's latitude, and the least cos over the latitudes within the radius. */
  cosQ = 1;
  cosBand = 0;
  private query: NearbyQuery | undefined;

  start(q: NearbyQuery): void {
    this.n = 0;
    this.query = q;
    this.cosQ = Math.cos(q.latitude * RAD);
    this.tighten(q.radiusM);
    this.cosBand = this.bandCos(q.latitude, this.latSlackDeg);
  }

  /** `matches` (geo-index.ts) and the radius, then `offer`, with the cheap tests first. */
  consider(data: Float64Array, i: number, entries: readonly LevelEntry[], q: NearbyQuery): void {
    const b = i * 4;
    const lat = data[b]!;
    if (Math.abs(lat - q.latitude) > this.latSlackDeg) return;
    if (data[b + 2]! < q.freshSince || (q.availableOnly && data[b + 3] === 0)) return;
    const lon = data[b + 1]!;
    let dLon = Math.abs(lon - q.longitude);
    if (dLon > 180) dLon = 360 - dLon;
    if (dLon > this.lonSlackDeg) return;
    const p = entries[i]!.point;
    if ((q.vehicleType !== undefined && p.vehicleType !== q.vehicleType) || q.exclude?.has(p.driverId)) return;
    const dist = distanceM(q.latitude, q.longitude, lat, lon);
    if (dist <= q.radiusM) this.offer(dist, p, q.limit);
  }

  offer(dist: number, point: DriverPoint, limit: number): void {
    let n = this.n;
    const full = n >= limit;
    if (full && !before(dist, point.driverId, this.d[n - 1]!, this.p[n - 1]!.driverId)) return;
    if (full) n--;
    let j = n;
    while (j > 0 && before(dist, point.driverId, this.d[j - 1]!, this.p[j - 1]!.driverId)) {
      this.d[j] = this.d[j - 1]!;
      this.p[j] = this.p[j - 1]!;
      j--;
    }
    this.d[j] = dist;
    this.p[j] = point;
    this.n = n + 1;
    if (this.n >= limit) this.tighten(this.d[limit - 1]!);
  }

  private tighten(boundM: number): void {
    const q = this.query!;
    const angle = boundM / EARTH_RADIUS_M;
    this.latSlackDeg = (angle / RAD) * SLACK + 1e-12;
    this.havBound = hav(angle) * SLACK + 1e-18;
    const cosMin = this.bandCos(q.latitude, this.latSlackDeg);
    const x = cosMin > 0 ? this.havBound / (this.cosQ * cosMin) : Infinity;
    this.lonSlackDeg = x >= 1 ? Infinity : ((2 * Math.asin(Math.sqrt(x))) / RAD) * SLACK + 1e-12;
  }

  /** The least cos φ over the latitudes within `slackDeg` of `lat` (0 when the band holds a pole). */
  private bandCos(lat: number, slackDeg: number): number {
    if (lat - slackDeg <= -90 || lat + slackDeg >= 90) return 0;
    return Math.cos(Math.max(Math.abs(lat - slackDeg), Math.abs(lat + slackDeg)) * RAD);
  }
}

function before(d: number, id: string, d2: number, id2: string): boolean {
  return d < d2 || (d === d2 && id < id2);
}
