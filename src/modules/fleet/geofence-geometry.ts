import { coordinates } from '../../protocol/families/locations.ts';
import { distanceM } from '../../core/geo.ts';

export interface Position { latitude: number; longitude: number }

/** A fence's shape as stored: a circle, or a GeoJSON ring of `[lng, lat]` pairs. */
export type FenceShape =
  | { kind: 'circle'; center: Position; radiusM: number }
  | { kind: 'polygon'; ring: [number, number][] };

export interface FenceTest {
  /** Inside the shape (on the boundary counts as inside). */
  inside: boolean;
  /** Metres outside the boundary (0 when inside). */
  outsideM: number;
}

const M_PER_DEG_LAT = 111_195;

/** A fence compiled for fast tests: its bounding box and the test itself. */
export interface CompiledShape {
  /** Bounding box of the shape in degrees: a point outside it (grown by `growM`) is outside by more than `growM`. */
  outsideBox(p: Position, growM: number): boolean;
  test(p: Position): FenceTest;
}

/** Drops the closing point of a closed GeoJSON ring; refuses rings with fewer than three distinct corners. */
export function normaliseRing(ring: readonly (readonly [number, number])[]): [number, number][] | null {
  const pts = ring.map(([lng, lat]) => [lng, lat] as [number, number]);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first && last && pts.length > 1 && first[0] === last[0] && first[1] === last[1]) pts.pop();
  const distinct = new Set(pts.map(([a, b]) => `${a},${b}`));
  return distinct.size >= 3 ? pts : null;
}

export function compileShape(shape: FenceShape): CompiledShape {
  if (shape.kind === 'circle') {
    const { center, radiusM } = shape;
    const dLat = radiusM / M_PER_DEG_LAT;
    const dLon = radiusM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((center.latitude * Math.PI) / 180)));
    return {
      outsideBox: (p, growM) => {
        const gLat = growM / M_PER_DEG_LAT;
        const gLon = growM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((center.latitude * Math.PI) / 180)));
        return Math.abs(p.latitude - center.latitude) > dLat + gLat || Math.abs(p.longitude - center.longitude) > dLon + gLon;
      },
      test: (p) => {
        const d = distanceM(center.latitude, center.longitude, p.latitude, p.longitude);
        return { inside: d <= radiusM, outsideM: Math.max(0, d - radiusM) };
      },
    };
  }
  // Corners as positions: GeoJSON's (lng, lat) order is converted here, once.
  const corners = shape.ring.map((c) => coordinates.fromLngLat(c));
  const lats = corners.map((c) => c.latitude);
  const lons = corners.map((c) => c.longitude);
  const box = { minLat: Math.min(...lats), maxLat: Math.max(...lats), minLon: Math.min(...lons), maxLon: Math.max(...lons) };
  return {
    outsideBox: (p, growM) => {
      const gLat = growM / M_PER_DEG_LAT;
      const gLon = growM / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((p.latitude * Math.PI) / 180)));
      return p.latitude < box.minLat - gLat || p.latitude > box.maxLat + gLat || p.longitude < box.minLon - gLon || p.longitude > box.maxLon + gLon;
    },
    test: (p) => {
      if (insidePolygon(corners, p)) return { inside: true, outsideM: 0 };
      return { inside: false, outsideM: distanceToRingM(corners, p) };
    },
  };
}

/** Even-odd ray casting in the (longitude, latitude) plane; fences are city-sized and do not cross the antimeridian. */
function insidePolygon(corners: Position[], p: Position): boolean {
  let inside = false;
  for (let i = 0, j = corners.length - 1; i < corners.length; j = i++) {
    const a = corners[i]!;
    const b = corners[j]!;
    if ((a.latitude > p.latitude) !== (b.latitude > p.latitude)) {
      const x = ((b.longitude - a.longitude) * (p.latitude - a.latitude)) / (b.latitude - a.latitude) + a.longitude;
      if (p.longitude < x) inside = !inside;
    }
  }
  return inside;
}

/** Metres from `p` to the nearest edge, in a local equirectangular projection around `p` (exact enough at fence scale). */
function distanceToRingM(corners: Position[], p: Position): number {
  const kx = M_PER_DEG_LAT * Math.cos((p.latitude * Math.PI) / 180);
  const xy = (c: Position) => [(c.longitude - p.longitude) * kx, (c.latitude - p.latitude) * M_PER_DEG_LAT] as const;
  let best = Infinity;
  for (let i = 0, j = corners.length - 1; i < corners.length; j = i++) {
    const [ax, ay] = xy(corners[j]!);
    const [bx, by] = xy(corners[i]!);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}
