/**
 * The locations module (family B, ride-hailing half): the
 * position pipeline, the nearby-driver search, availability and the recorded
 * history. Other modules use only what is exported here.
 */
import type { LocationHistory } from './location-history.ts';
import { LocationsService, type LocationsServiceDeps } from './locations.service.ts';

export { createLocationHistory, type LocationHistory } from './location-history.ts';
export type { HistoryWriterSettings, PositionWriter, WriteBehindObserver } from './history-writer.ts';
export type { TrackSubject, TrackPoint, HistoryRow } from './location-history.repository.ts';
export type { TrackQuery, TrackResult } from './track-reader.ts';
export type { LocationsEvents, AcceptedFix } from './locations-events.ts';
export type { DriverProfiles, DriverVehicles, PositionSink } from './ports.ts';
export { LocationsService, type LocationsSettings, type ReportInput } from './locations.service.ts';
export { checkFix, FIX_REJECT_REASONS, type FixLimits, type RejectReason } from './location-filter.ts';
export { estimateEta, type EtaSettings } from './eta.ts';

/** The service's dependencies, with the whole history (writer and reader) instead of its writer. */
export type LocationsModuleDeps = Omit<LocationsServiceDeps, 'history'> & { history: LocationHistory };

export interface LocationsModule {
  service: LocationsService;
  history: LocationHistory;
  /** Starts the history flush and the sweep of silent drivers. */
  start(): void;
  /** Writes what is buffered; call before the database closes. */
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 30_000;

export function createLocationsModule(deps: LocationsModuleDeps): LocationsModule {
  const service = new LocationsService({ ...deps, history: deps.history.writer });
  let sweeper: NodeJS.Timeout | undefined;
  return {
    service,
    history: deps.history,
    start() {
      deps.history.writer.start();
      sweeper ??= setInterval(() => service.sweep(), SWEEP_INTERVAL_MS).unref();
    },
    async stop() {
      clearInterval(sweeper);
      await deps.history.writer.stop();
    },
  };
}
