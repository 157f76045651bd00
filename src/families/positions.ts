import type { DriverTracks } from '../core/ride-ports.ts';
import { createLocationHistory, type LocationHistory } from '../modules/locations/index.ts';
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
  const dropped = metrics.counter('livegate_location_history_dropped_total', 'Position fixes not recorded because the history buffer was full');
  const history = createLocationHistory({ db: ctx.db, settings: config.locations.history, log, onDrop: (n) => dropped.inc(n) });
  return { geo, history, tracks: history.tracks };
}
