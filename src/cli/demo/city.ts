/** A point as the ride-hailing family spells it. */
export interface Point { latitude: number; longitude: number }

const M_PER_DEG_LAT = 111_320;

/** A deterministic generator (mulberry32): the same `--seed` gives the same city, drivers and trips. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function distanceM(a: Point, b: Point): number {
  const dy = (b.latitude - a.latitude) * M_PER_DEG_LAT;
  const dx = (b.longitude - a.longitude) * M_PER_DEG_LAT * Math.cos((a.latitude * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

/** Degrees clockwise from north, for the `heading` of a fix. */
export function headingDeg(a: Point, b: Point): number {
  const dy = b.latitude - a.latitude;
  const dx = (b.longitude - a.longitude) * Math.cos((a.latitude * Math.PI) / 180);
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/** Straight segments driven in order; `at(d)` interpolates the position `d` metres along. */
export class Route {
  readonly lengthM: number;
  private readonly legs: number[];

  constructor(readonly points: readonly Point[]) {
    this.legs = points.slice(1).map((p, i) => distanceM(points[i]!, p));
    this.lengthM = this.legs.reduce((s, l) => s + l, 0);
  }

  at(d: number): { position: Point; heading: number } {
    let left = Math.max(0, Math.min(d, this.lengthM));
    for (let i = 0; i < this.legs.length; i++) {
      const leg = this.legs[i]!;
      const a = this.points[i]!, b = this.points[i + 1]!;
      if (left <= leg || i === this.legs.length - 1) {
        const f = leg === 0 ? 1 : Math.min(1, left / leg);
        return { position: { latitude: a.latitude + (b.latitude - a.latitude) * f, longitude: a.longitude + (b.longitude - a.longitude) * f }, heading: headingDeg(a, b) };
      }
      left -= leg;
    }
    return { position: this.points[0]!, heading: 0 };
  }
}

/**
 * A grid city around a centre: streets every `blockM` metres within
 * `radiusM`. Routes follow the streets (east–west, then north–south, or the
 * other way round), so vehicles move along plausible straight segments.
 */
export class City {
  private readonly latStep: number;
  private readonly lngStep: number;
  private readonly blocks: number;

  constructor(readonly center: Point, private readonly random: () => number, readonly radiusM = 2500, blockM = 250) {
    this.latStep = blockM / M_PER_DEG_LAT;
    this.lngStep = blockM / (M_PER_DEG_LAT * Math.cos((center.latitude * Math.PI) / 180));
    this.blocks = Math.floor(radiusM / blockM);
  }

  /** A random street corner, at most `maxBlocks` blocks from `near` (default: anywhere in the city). */
  corner(near?: Point, maxBlocks = this.blocks): Point {
    const base = near ? this.snap(near) : { i: 0, j: 0 };
    const pick = (c: number) => Math.max(-this.blocks, Math.min(this.blocks, c + Math.round((this.random() * 2 - 1) * maxBlocks)));
    return this.point(pick(base.i), pick(base.j));
  }

  /** The street route from `a` to `b`: two straight legs along the grid. */
  route(a: Point, b: Point): Route {
    const elbow = this.random() < 0.5 ? { latitude: a.latitude, longitude: b.longitude } : { latitude: b.latitude, longitude: a.longitude };
    return new Route([a, elbow, b]);
  }

  private snap(p: Point): { i: number; j: number } {
    return { i: Math.round((p.latitude - this.center.latitude) / this.latStep), j: Math.round((p.longitude - this.center.longitude) / this.lngStep) };
  }

  private point(i: number, j: number): Point {
    return { latitude: this.center.latitude + i * this.latStep, longitude: this.center.longitude + j * this.lngStep };
  }
}
