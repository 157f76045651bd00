import type { DriverTracks } from '../core/ride-ports.ts';
import { createLocationHistory, type LocationHistory, type WriteBehindObserver } from '../modules/locations/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { GeoIndex } from '../state/geo-index.ts';
import { GridGeoIndex } from '../state/grid-geo-index.ts';
import type { FamilyContext } from './context.ts';

/** Where positions are kept, shared by trips (dispatch, reported distances), fleet and the location pipeline. */
export interface Positions {
  /** Nearby-driver index: this node's drivers, and with REDIS_URL every node's. */
  readonly geo: GeoIndex;
  /** Position history, written behind in batches. */
  readonly history: LocationHistory;
  /** Recorded tracks that bound the distances drivers report. */
  readonly tracks: DriverTracks;
}

export function createPositions(ctx: FamilyContext): Positions {
  const { config, metrics, log } = ctx;
  const geo = new GridGeoIndex({ cellSizeM: config.locations.geoCellSizeM });
  const observer = positionWritesObserver(metrics, 'location_history');
  const history = createLocationHistory({ db: ctx.db, settings: config.locations.history, log, observer });
  return { geo, history, tracks: history.tracks };
}

/**
 * Metrics of the position write-behind (history rows, vehicle positions):
 * rows per statement, statement latency, and rows given up on a full queue.
 */
export function positionWritesObserver(metrics: Metrics, table: 'location_history' | 'vehicles'): WriteBehindObserver {
  const dropped = metrics.counter('livegate_position_writes_dropped_total', 'Position rows not written because the write-behind queue was full (oldest first)', ['table']).labels(table);
  const rows = metrics.histogram('livegate_position_write_batch_rows', 'Rows per write-behind statement', [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000], ['table']).labels(table);
  const seconds = metrics.histogram('livegate_position_write_seconds', 'Duration of a write-behind statement', [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], ['table', 'result']);
  const ok = seconds.labels(table, 'ok');
  const failed = seconds.labels(table, 'failed');
  return {
    dropped: (n) => dropped.inc(n),
    batch(n, s, stored) {
      rows.observe(n);
      (stored ? ok : failed).observe(s);
    },
  };
}
