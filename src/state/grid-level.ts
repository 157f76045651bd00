import type { DriverPoint, NearbyQuery } from './geo-index.ts';
import { EARTH_RADIUS_M, hav, RAD, type TopK } from './top-k.ts';


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
export class Cell {
  data = new Float64Array(16);
  entries: LevelEntry[] = [];
  /** entries.length, kept here so a query reads it without touching the entries. */
  n = 0;

  add(e: LevelEntry): void {
    const n = this.n++;
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
    this.n--;
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
  private readonly bounds = new RingBounds();

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
   * bounding box of the search cap, offering candidates to `top`. Each cell
   * is first checked against a proven lower bound of the distance to any
   * point in it (in haversine terms: hav(Δφ-gap) + cos φ·cos φ-band·hav(Δλ-gap)),
   * so cells outside the current bound are skipped without a lookup, and the
   * walk ends at the first ring with no cell inside the bound (farther rings
   * are farther still). Returns false without walking when the box holds more
   * than `maxCells` cells (scanning every driver is then cheaper).
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
    const kMax = Math.max(-dyMin, dyMax, -dxMin, dxMax);
    const b = this.bounds;
    b.reset(q, r0, c0, this.cellDeg, top.cosQ * top.cosBand);
    for (let k = 0; k <= kMax; k++) {
      b.ring(k);
      if (!this.visitRing(k, r0, c0, dyMin, dyMax, dxMin, dxMax, q, top) && k > 0 && !b.wrapped) break;
    }
    return true;
  }

  /** Visits ring k's cells within the box; false when none of them is within the bound. */
  private visitRing(k: number, r0: number, c0: number, dyMin: number, dyMax: number, dxMin: number, dxMax: number, q: NearbyQuery, top: TopK): boolean {
    const b = this.bounds;
    if (k === 0) {
      this.visit(this.grid[r0], c0, q, top);
      return true;
    }
    let inside = false;
    const xFrom = Math.max(-k, dxMin);
    const xTo = Math.min(k, dxMax);
    for (let dy = -k; dy <= k; dy += 2 * k) {
      if (dy < dyMin || dy > dyMax) continue;
      const row = this.grid[r0 + dy];
      const a = b.lat(dy);
      for (let dx = xFrom; dx <= xTo; dx++) {
        if (a + b.c * b.lon(dx) > top.havBound) continue;
        inside = true;
        if (row) this.visit(row, c0 + dx, q, top);
      }
    }
    const yFrom = Math.max(-k + 1, dyMin);
    const yTo = Math.min(k - 1, dyMax);
    for (let dx = -k; dx <= k; dx += 2 * k) {
      if (dx < dxMin || dx > dxMax) continue;
      const lon = b.c * b.lon(dx);
      for (let dy = yFrom; dy <= yTo; dy++) {
        if (b.lat(dy) + lon > top.havBound) continue;
        inside = true;
        this.visit(this.grid[r0 + dy], c0 + dx, q, top);
      }
    }
    return inside;
  }

  private visit(row: Map<number, Cell> | undefined, col: number, q: NearbyQuery, top: TopK): void {
    const cell = row?.get(this.wrap(col));
    if (!cell) return;
    const { data, entries, n } = cell;
    for (let i = 0; i < n; i++) top.consider(data, i, entries, q);
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

/**
 * Lower bounds, in haversine terms, of the latitude and longitude gap between
 * the query point and the cells `dy` rows / `dx` columns away, filled one ring
 * at a time (four sines per ring) and reused across queries.
 */
class RingBounds {
  private readonly north: number[] = [];
  private readonly south: number[] = [];
  private readonly east: number[] = [];
  private readonly west: number[] = [];
  /** cos φ(query) × least cos φ within the radius: the weight of a longitude gap. */
  c = 0;
  /** Some column is so far round that its bound was dropped: rings no longer grow monotonically. */
  wrapped = false;
  private cellRad = 0;
  private below = 0;
  private above = 0;
  private left = 0;
  private right = 0;

  reset(q: NearbyQuery, r0: number, c0: number, cellDeg: number, c: number): void {
    this.cellRad = cellDeg * RAD;
    this.c = c;
    this.wrapped = false;
    // The query's offsets from its own cell's edges, in radians (never negative).
    this.below = Math.max(0, (q.latitude + 90 - r0 * cellDeg) * RAD);
    this.above = Math.max(0, this.cellRad - this.below);
    this.left = Math.max(0, (q.longitude + 180 - c0 * cellDeg) * RAD);
    this.right = Math.max(0, this.cellRad - this.left);
  }

  ring(k: number): void {
    if (k === 0) {
      this.north[0] = this.south[0] = this.east[0] = this.west[0] = 0;
      return;
    }
    const span = (k - 1) * this.cellRad;
    this.north[k] = hav(span + this.above);
    this.south[k] = hav(span + this.below);
    // A column more than half the globe away may be nearer the other way round: no bound from it.
    if (span + this.cellRad + this.cellRad > Math.PI) this.wrapped = true;
    this.east[k] = this.wrapped ? 0 : hav(span + this.right);
    this.west[k] = this.wrapped ? 0 : hav(span + this.left);
  }

  lat(dy: number): number {
    return dy >= 0 ? this.north[dy]! : this.south[-dy]!;
  }

  lon(dx: number): number {
    return dx >= 0 ? this.east[dx]! : this.west[-dx]!;
  }
}
