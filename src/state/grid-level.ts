import { distanceM, type DriverPoint, type NearbyQuery } from './geo-index.ts';

/** The sphere `distanceM` uses; the bounds below must be exact on the same sphere. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** A driver's place in the grid. */
export interface LevelEntry {
  point: DriverPoint;
  cell: Cell;
  row: number;
  col: number;
  /** Position in its cell, for O(1) removal. */
  slot: number;
}

/**
 * One cell's drivers: position, fix time and availability interleaved in one
 * Float64Array (4 numbers per driver), plus the entries, so a query reads a
 * cell's candidates from one contiguous block and touches a driver's object
 * only when the driver makes the list.
 */
class Cell {
  data = new Float64Array(16);
  entries: LevelEntry[] = [];

  add(e: LevelEntry): void {
    const n = this.entries.length;
    if ((n + 1) * 4 > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    e.cell = this;
    e.slot = n;
    this.entries.push(e);
    this.sync(e);
  }

  /** Swap-remove. */
  remove(e: LevelEntry): void {
    const last = this.entries.length - 1;
    const i = e.slot;
    if (i !== last) {
      const moved = this.entries[last]!;
      this.entries[i] = moved;
      this.data.copyWithin(i * 4, last * 4, last * 4 + 4);
      moved.slot = i;
    }
    this.entries.pop();
  }

  sync(e: LevelEntry): void {
    const p = e.point;
    const b = e.slot * 4;
    this.data[b] = p.latitude;
    this.data[b + 1] = p.longitude;
    this.data[b + 2] = p.at;
    this.data[b + 3] = p.isAvailable ? 1 : 0;
  }
}

/**
 * The running query's best `limit` matches, sorted by (distance, driverId) as
 * `byDistance` orders them: reused arrays and a count, so a query allocates
 * nothing but its answer.
 */
export class TopK {
  readonly d: number[] = [];
  readonly p: DriverPoint[] = [];
  n = 0;

  /** Candidates strictly farther than this cannot make the list. */
  bound(q: NearbyQuery): number {
    return this.n >= q.limit ? this.d[this.n - 1]! : q.radiusM;
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
  }

  /** `matches` (geo-index.ts) and the radius, then `offer`, with a cheap lower bound first. */
  consider(data: Float64Array, b: number, entry: LevelEntry, q: NearbyQuery): void {
    const lat = data[b]!;
    // Great-circle distance is at least R·|Δlatitude|: skip the haversine for points
    // that provably cannot make the list (strictly farther, so ties are unaffected).
    if (Math.abs(lat - q.latitude) * RAD * EARTH_RADIUS_M > this.bound(q) * (1 + 1e-9) + 1e-6) return;
    if (data[b + 2]! < q.freshSince || (q.availableOnly && data[b + 3] === 0)) return;
    const p = entry.point;
    if ((q.vehicleType !== undefined && p.vehicleType !== q.vehicleType) || q.exclude?.has(p.driverId)) return;
    const dist = distanceM(q.latitude, q.longitude, lat, data[b + 1]!);
    if (dist <= q.radiusM) this.offer(dist, p, q.limit);
  }
}

function before(d: number, id: string, d2: number, id2: string): boolean {
  return d < d2 || (d === d2 && id < id2);
}

/**
 * One equal-angle grid over the whole globe: an even number of columns
 * dividing 360° exactly (every column the same width, which the ring bounds
 * rely on), rows = columns / 2, cells of `cellSizeM` along a meridian. Cells
 * are found by row (array) then column (map): two small-integer lookups, as
 * `row * cols + col` would exceed V8's small integers at city-sized cells.
 */
export class GridLevel {
  readonly cols: number;
  readonly rows: number;
  readonly cellDeg: number;
  readonly cellM: number;
  private readonly grid: (Map<number, Cell> | undefined)[];

  constructor(cellSizeM: number) {
    this.cols = 2 * Math.max(1, Math.round(180 / (cellSizeM / (EARTH_RADIUS_M * RAD))));
    this.rows = this.cols / 2;
    this.cellDeg = 360 / this.cols;
    this.cellM = this.cellDeg * RAD * EARTH_RADIUS_M;
    this.grid = new Array(this.rows);
  }

  rowOf(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat + 90) / this.cellDeg)));
  }

  colOf(lon: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((lon + 180) / this.cellDeg)));
  }

  /** A new entry for `point`, placed in its cell. */
  place(point: DriverPoint): LevelEntry {
    const e = { point, row: this.rowOf(point.latitude), col: this.colOf(point.longitude), slot: 0 } as LevelEntry;
    this.cellAt(e.row, e.col).add(e);
    return e;
  }

  /** The point moved or changed: O(1), in place or swap-remove + push. */
  update(e: LevelEntry): void {
    const row = this.rowOf(e.point.latitude);
    const col = this.colOf(e.point.longitude);
    if (row === e.row && col === e.col) return e.cell.sync(e);
    this.detach(e);
    e.row = row;
    e.col = col;
    this.cellAt(row, col).add(e);
  }

  detach(e: LevelEntry): void {
    e.cell.remove(e);
    if (e.cell.entries.length > 0) return;
    const cells = this.grid[e.row]!;
    cells.delete(e.col);
    if (cells.size === 0) this.grid[e.row] = undefined;
  }

  /**
   * Walks rings of cells outward from the query's cell, inside the exact
   * bounding box of the search cap, offering candidates to `top`; stops when
   * the next ring's proven lower distance bound exceeds the `limit`-th
   * distance. Returns false without walking when the box holds more than
   * `maxCells` cells (scanning every driver is then cheaper).
   */
  walk(q: NearbyQuery, top: TopK, maxCells: number): boolean {
    const capRad = q.radiusM / EARTH_RADIUS_M;
    const capDeg = capRad / RAD + 1e-9;
    const latMin = q.latitude - capDeg;
    const latMax = q.latitude + capDeg;
    const r0 = this.rowOf(q.latitude);
    const c0 = this.colOf(q.longitude);
    const dyMin = this.rowOf(Math.max(-90, latMin)) - r0;
    const dyMax = this.rowOf(Math.min(90, latMax)) - r0;
    // Widest longitude difference of any point of the cap (meridians tangent to it);
    // a cap that holds a pole spans every longitude.
    const s = latMin <= -90 || latMax >= 90 ? 2 : Math.sin(capRad) / Math.cos(q.latitude * RAD);
    let dxMin = -Math.floor(this.cols / 2);
    let dxMax = dxMin + this.cols - 1;
    if (s < 1) {
      const dLonDeg = Math.asin(s) / RAD + 1e-9;
      const from = Math.floor((q.longitude - dLonDeg + 180) / this.cellDeg) - c0;
      const to = Math.floor((q.longitude + dLonDeg + 180) / this.cellDeg) - c0;
      if (to - from + 1 < this.cols) [dxMin, dxMax] = [from, to];
    }
    if ((dyMax - dyMin + 1) * (dxMax - dxMin + 1) > maxCells) return false;
    // Any point within the radius has |latitude| <= phiMax: the lower bound of a
    // point `gap` columns away uses the narrowest column width it can have.
    const cosMax = Math.cos(Math.min(90, Math.max(Math.abs(latMin), Math.abs(latMax))) * RAD);
    const cellRad = this.cellDeg * RAD;
    const kMax = Math.max(-dyMin, dyMax, -dxMin, dxMax);
    for (let k = 0; k <= kMax; k++) {
      if (k >= 2 && top.n >= q.limit) {
        const gap = (k - 1) * cellRad;
        const lbLat = EARTH_RADIUS_M * gap;
        const lbLon = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, cosMax * Math.sin(Math.min(Math.PI, gap) / 2)));
        // Strict: a point at exactly the k-th distance could still win the driverId tie-break.
        if (Math.min(lbLat, lbLon) * (1 - 1e-9) - 1e-6 > top.d[q.limit - 1]!) break;
      }
      this.visitRing(k, r0, c0, dyMin, dyMax, dxMin, dxMax, q, top);
    }
    return true;
  }

  private visitRing(k: number, r0: number, c0: number, dyMin: number, dyMax: number, dxMin: number, dxMax: number, q: NearbyQuery, top: TopK): void {
    if (k === 0) return this.visit(this.grid[r0], c0, q, top);
    const xFrom = Math.max(-k, dxMin);
    const xTo = Math.min(k, dxMax);
    if (-k >= dyMin) {
      const row = this.grid[r0 - k];
      if (row) for (let dx = xFrom; dx <= xTo; dx++) this.visit(row, c0 + dx, q, top);
    }
    if (k <= dyMax) {
      const row = this.grid[r0 + k];
      if (row) for (let dx = xFrom; dx <= xTo; dx++) this.visit(row, c0 + dx, q, top);
    }
    const yFrom = Math.max(-k + 1, dyMin);
    const yTo = Math.min(k - 1, dyMax);
    if (-k >= dxMin) for (let dy = yFrom; dy <= yTo; dy++) this.visit(this.grid[r0 + dy], c0 - k, q, top);
    if (k <= dxMax) for (let dy = yFrom; dy <= yTo; dy++) this.visit(this.grid[r0 + dy], c0 + k, q, top);
  }

  private visit(row: Map<number, Cell> | undefined, col: number, q: NearbyQuery, top: TopK): void {
    const cell = row?.get(this.wrap(col));
    if (!cell) return;
    const { data, entries } = cell;
    for (let i = 0; i < entries.length; i++) top.consider(data, i * 4, entries[i]!, q);
  }

  private wrap(col: number): number {
    return col < 0 ? col + this.cols : col >= this.cols ? col - this.cols : col;
  }

  private cellAt(row: number, col: number): Cell {
    let cells = this.grid[row];
    if (!cells) this.grid[row] = cells = new Map();
    let cell = cells.get(col);
    if (!cell) cells.set(col, (cell = new Cell()));
    return cell;
  }
}
