import { distanceM, type DriverPoint, type GeoIndex, type NearbyDriver, type NearbyQuery } from './geo-index.ts';

/** The sphere `distanceM` uses; the bounds below must be exact on the same sphere. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/**
 * Chosen by measurement (`npm run bench:nearby -- --cells`, 100,000 drivers
 * over a 60 km metro, 5 km radius, 20 results): 250 m and 500 m cells were
 * the fastest, 125 m about 1.2× and 1 km about 2× slower.
 */
export const DEFAULT_CELL_SIZE_M = 250;

interface Entry {
  point: DriverPoint;
  cell: Cell;
  row: number;
  col: number;
  /** Position in its cell's arrays, for O(1) removal. */
  slot: number;
}

/**
 * One cell's drivers: position, fix time and availability interleaved in one
 * Float64Array (4 numbers per driver), plus the entries. A query reads a
 * cell's candidates from one contiguous block and touches a driver's object
 * only when the driver makes the list; cache misses per candidate were most
 * of a query's cost.
 */
class Cell {
  data = new Float64Array(16);
  entries: Entry[] = [];

  add(e: Entry): void {
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
  remove(e: Entry): void {
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

  sync(e: Entry): void {
    const p = e.point;
    const b = e.slot * 4;
    this.data[b] = p.latitude;
    this.data[b + 1] = p.longitude;
    this.data[b + 2] = p.at;
    this.data[b + 3] = p.isAvailable ? 1 : 0;
  }
}

/**
 * The nearby-driver index: an equal-angle grid over the whole globe (cells of
 * `cellSizeM` along a meridian), a driver in exactly one cell.
 *
 * - Moves are O(1): update in place, or swap-remove and push onto the new cell.
 * - A query walks rings of cells outward from the query's cell, inside the
 *   exact bounding box of the search cap, keeping the best `limit` matches; it
 *   stops as soon as the next ring's proven lower distance bound exceeds the
 *   current `limit`-th distance. Distances and ordering are those of
 *   `LinearGeoIndex` (same `distanceM`, same filters, same tie-break), so
 *   results are identical — a property test checks this.
 * - When the box holds more cells than there are drivers (huge radius, polar
 *   caps) scanning every driver is cheaper, and it does that instead.
 */
export class GridGeoIndex implements GeoIndex {
  private readonly cols: number;
  private readonly rows: number;
  private readonly cellDeg: number;
  /**
   * Cells by row, then by column: two small-integer lookups rather than one
   * `row * cols + col` key, which at city-sized cells exceeds V8's
   * small-integer range and would allocate a heap number per lookup.
   */
  private readonly grid: (Map<number, Cell> | undefined)[];
  private readonly entries = new Map<string, Entry>();
  private readonly scanWhenCheaper: boolean;
  // The running query's best-so-far list: reused arrays and a count, so a
  // query allocates nothing but its answer.
  private readonly topD: number[] = [];
  private readonly topP: DriverPoint[] = [];
  private topN = 0;

  /** `scanWhenCheaper: false` always walks the cells (tests use it to exercise the walk on small sets). */
  constructor(opts: { cellSizeM?: number; scanWhenCheaper?: boolean } = {}) {
    this.scanWhenCheaper = opts.scanWhenCheaper ?? true;
    const cellM = opts.cellSizeM ?? DEFAULT_CELL_SIZE_M;
    if (!(cellM >= 10 && cellM <= 1_000_000)) throw new RangeError('cellSizeM must be between 10 m and 1000 km');
    // An even column count that divides 360° exactly: every column has the same
    // width (the ring bounds rely on it) and rows = cols / 2 divide 180° exactly.
    this.cols = 2 * Math.max(1, Math.round(180 / (cellM / (EARTH_RADIUS_M * RAD))));
    this.rows = this.cols / 2;
    this.cellDeg = 360 / this.cols;
    this.grid = new Array(this.rows);
  }

  get size(): number {
    return this.entries.size;
  }

  get(driverId: string): DriverPoint | undefined {
    return this.entries.get(driverId)?.point;
  }

  upsert(p: DriverPoint): void {
    const row = this.rowOf(p.latitude);
    const col = this.colOf(p.longitude);
    const e = this.entries.get(p.driverId);
    if (!e) {
      const point: DriverPoint = { driverId: p.driverId, latitude: p.latitude, longitude: p.longitude, heading: p.heading, speed: p.speed, at: p.at, isAvailable: p.isAvailable, vehicleType: p.vehicleType };
      const entry = { point, row, col, slot: 0 } as Entry;
      this.entries.set(p.driverId, entry);
      this.cellAt(row, col).add(entry);
      return;
    }
    const q = e.point;
    q.latitude = p.latitude;
    q.longitude = p.longitude;
    q.heading = p.heading;
    q.speed = p.speed;
    q.at = p.at;
    q.isAvailable = p.isAvailable;
    q.vehicleType = p.vehicleType;
    if (e.row === row && e.col === col) return e.cell.sync(e);
    this.detach(e);
    e.row = row;
    e.col = col;
    this.cellAt(row, col).add(e);
  }

  setAvailability(driverId: string, isAvailable: boolean): void {
    const e = this.entries.get(driverId);
    if (!e) return;
    e.point.isAvailable = isAvailable;
    e.cell.sync(e);
  }

  remove(driverId: string): void {
    const e = this.entries.get(driverId);
    if (!e) return;
    this.detach(e);
    this.entries.delete(driverId);
  }

  /** Drops every position taken before `before` (epoch ms); returns how many. Keeps memory bounded. */
  prune(before: number): number {
    let n = 0;
    for (const e of this.entries.values()) {
      if (e.point.at < before) {
        this.detach(e);
        this.entries.delete(e.point.driverId);
        n++;
      }
    }
    return n;
  }

  nearby(q: NearbyQuery): NearbyDriver[] {
    this.topN = 0;
    if (q.limit <= 0 || this.entries.size === 0 || !(q.radiusM >= 0)) return [];
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
    if (this.scanWhenCheaper && (dyMax - dyMin + 1) * (dxMax - dxMin + 1) > this.entries.size) {
      for (const e of this.entries.values()) this.consider(e.cell, e.slot, q);
      return this.result();
    }
    // Any point within the radius has |latitude| <= phiMax: the lower bound of a
    // point `gap` columns away uses the narrowest column width it can have.
    const cosMax = Math.cos(Math.min(90, Math.max(Math.abs(latMin), Math.abs(latMax))) * RAD);
    const cellRad = this.cellDeg * RAD;
    const kMax = Math.max(-dyMin, dyMax, -dxMin, dxMax);
    for (let k = 0; k <= kMax; k++) {
      if (k >= 2 && this.topN >= q.limit) {
        const gap = (k - 1) * cellRad;
        const lbLat = EARTH_RADIUS_M * gap;
        const lbLon = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, cosMax * Math.sin(Math.min(Math.PI, gap) / 2)));
        // Strict: a point at exactly the k-th distance could still win the driverId tie-break.
        if (Math.min(lbLat, lbLon) * (1 - 1e-9) - 1e-6 > this.topD[q.limit - 1]!) break;
      }
      this.visitRing(k, r0, c0, dyMin, dyMax, dxMin, dxMax, q);
    }
    return this.result();
  }

  private visitRing(k: number, r0: number, c0: number, dyMin: number, dyMax: number, dxMin: number, dxMax: number, q: NearbyQuery): void {
    if (k === 0) return this.visit(this.grid[r0], c0, q);
    const xFrom = Math.max(-k, dxMin);
    const xTo = Math.min(k, dxMax);
    if (-k >= dyMin) {
      const row = this.grid[r0 - k];
      if (row) for (let dx = xFrom; dx <= xTo; dx++) this.visit(row, c0 + dx, q);
    }
    if (k <= dyMax) {
      const row = this.grid[r0 + k];
      if (row) for (let dx = xFrom; dx <= xTo; dx++) this.visit(row, c0 + dx, q);
    }
    const yFrom = Math.max(-k + 1, dyMin);
    const yTo = Math.min(k - 1, dyMax);
    if (-k >= dxMin) for (let dy = yFrom; dy <= yTo; dy++) this.visit(this.grid[r0 + dy], c0 - k, q);
    if (k <= dxMax) for (let dy = yFrom; dy <= yTo; dy++) this.visit(this.grid[r0 + dy], c0 + k, q);
  }

  private visit(row: Map<number, Cell> | undefined, col: number, q: NearbyQuery): void {
    const cell = row?.get(col < 0 ? col + this.cols : col >= this.cols ? col - this.cols : col);
    if (!cell) return;
    for (let i = 0; i < cell.entries.length; i++) this.consider(cell, i, q);
  }

  /**
   * Keeps the best `limit` matches sorted by (distance, driverId), as
   * `byDistance` orders them; the filters are `matches` from geo-index.ts.
   */
  private consider(cell: Cell, i: number, q: NearbyQuery): void {
    const data = cell.data;
    const b = i * 4;
    const lat = data[b]!;
    const topD = this.topD;
    let n = this.topN;
    const full = n >= q.limit;
    // Great-circle distance is at least R·|Δlatitude|: skip the haversine for points
    // that provably cannot make the list (strictly farther, so ties are unaffected).
    const bound = full ? topD[n - 1]! : q.radiusM;
    if (Math.abs(lat - q.latitude) * RAD * EARTH_RADIUS_M > bound * (1 + 1e-9) + 1e-6) return;
    if (data[b + 2]! < q.freshSince || (q.availableOnly && data[b + 3] === 0)) return;
    const p = cell.entries[i]!.point;
    if ((q.vehicleType !== undefined && p.vehicleType !== q.vehicleType) || q.exclude?.has(p.driverId)) return;
    const d = distanceM(q.latitude, q.longitude, lat, data[b + 1]!);
    if (d > q.radiusM) return;
    const topP = this.topP;
    if (full && !before(d, p.driverId, topD[n - 1]!, topP[n - 1]!.driverId)) return;
    if (full) n--;
    let j = n;
    while (j > 0 && before(d, p.driverId, topD[j - 1]!, topP[j - 1]!.driverId)) {
      topD[j] = topD[j - 1]!;
      topP[j] = topP[j - 1]!;
      j--;
    }
    topD[j] = d;
    topP[j] = p;
    this.topN = n + 1;
  }

  private result(): NearbyDriver[] {
    const out: NearbyDriver[] = [];
    for (let i = 0; i < this.topN; i++) {
      // A literal, not a spread: one object shape, no per-property copying.
      const p = this.topP[i]!;
      out.push({
        driverId: p.driverId, latitude: p.latitude, longitude: p.longitude, heading: p.heading, speed: p.speed, at: p.at,
        isAvailable: p.isAvailable, vehicleType: p.vehicleType, distanceM: this.topD[i]!,
      });
    }
    return out;
  }

  private rowOf(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat + 90) / this.cellDeg)));
  }

  private colOf(lon: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((lon + 180) / this.cellDeg)));
  }

  private cellAt(row: number, col: number): Cell {
    let cells = this.grid[row];
    if (!cells) this.grid[row] = cells = new Map();
    let cell = cells.get(col);
    if (!cell) cells.set(col, (cell = new Cell()));
    return cell;
  }

  private detach(e: Entry): void {
    e.cell.remove(e);
    if (e.cell.entries.length > 0) return;
    const cells = this.grid[e.row]!;
    cells.delete(e.col);
    if (cells.size === 0) this.grid[e.row] = undefined;
  }
}

function before(d: number, id: string, d2: number, id2: string): boolean {
  return d < d2 || (d === d2 && id < id2);
}
