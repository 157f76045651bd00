import type { Logger } from '../../core/logger.ts';
import type { DriverTracks } from '../../core/ride-ports.ts';
import type { Queryable } from '../../storage/index.ts';
import { HistoryWriter, type HistoryWriterSettings, type WriteBehindObserver } from './history-writer.ts';
import { LocationHistoryRepository, type TrackSubject } from './location-history.repository.ts';
import { readTrack, trackDistanceKm, type TrackQuery, type TrackResult } from './track-reader.ts';

/** Recorded positions: the batched writer, replay queries and `DriverTracks` for trips. */
export interface LocationHistory {
  writer: HistoryWriter;
  /** Implements `DriverTracks` (src/core/ride-ports.ts); sees fixes still in the buffer. */
  tracks: DriverTracks;
  read(subject: TrackSubject, q: TrackQuery): Promise<TrackResult>;
}

/**
 * Built before the trips module (which checks reported distances against
 * `tracks`) and before the location pipeline (which writes through `writer`).
 */
export function createLocationHistory(deps: { db: Queryable; settings: HistoryWriterSettings; log: Logger; observer?: WriteBehindObserver }): LocationHistory {
  const repo = new LocationHistoryRepository(deps.db);
  const writer = new HistoryWriter(repo, deps.settings, deps.log, deps.observer);
  return {
    writer,
    tracks: {
      async trackDistanceKm(driverId, from, to) {
        await writer.flush();
        return trackDistanceKm(repo, driverId, from, to);
      },
    },
    read: (subject, q) => readTrack(repo, subject, q),
  };
}
