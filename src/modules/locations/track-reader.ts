import { distanceM } from '../../core/geo.ts';
import type { LocationHistoryRepository, TrackPoint, TrackSubject } from './location-history.repository.ts';

const PAGE_ROWS = 2_000;
/** Rows one request may scan before it answers with what it has and a `next` cursor. */
const MAX_SCANNED_ROWS = 200_000;

export interface TrackQuery {
  from: number;
  to: number;
  limit: number;
  minDistanceM?: number | undefined;
  minIntervalS?: number | undefined;
}

export interface TrackResult {
  points: TrackPoint[];
  /** Where to continue (epoch ms, inclusive) when the answer stopped early; null when the range is done. */
  next: number | null;
}

/**
 * Walks a subject's points in time order, page by page (keyset on
 * recorded_at), calling `visit` until it returns false. Returns the instant
 * to resume from when it stopped early, else null.
 */
async function walk(repo: LocationHistoryRepository, subject: TrackSubject, from: number, to: number, visit: (p: TrackPoint) => boolean): Promise<number | null> {
  let cursor = from;
  let after = false;
  let scanned = 0;
  for (;;) {
    const page = await repo.page(subject, cursor, to, PAGE_ROWS, after);
    let rows = page;
    if (page.length === PAGE_ROWS) {
      // The next page starts strictly after the last instant kept here, so
      // points sharing that instant must all be in the next page.
      const lastAt = page[page.length - 1]!.at;
      let cut = page.length;
      while (cut > 0 && page[cut - 1]!.at === lastAt) cut--;
      if (cut > 0) rows = page.slice(0, cut);
    }
    for (const p of rows) {
      scanned++;
      if (!visit(p)) return p.at + 1 <= to ? p.at + 1 : null;
    }
    if (page.length < PAGE_ROWS) return null;
    cursor = rows[rows.length - 1]!.at;
    after = true;
    if (scanned >= MAX_SCANNED_ROWS) return cursor + 1;
  }
}

/**
 * A range of a track for replay, thinned greedily: a point is kept when it is
 * at least `minDistanceM` from and `minIntervalS` after the last kept point.
 */
export async function readTrack(repo: LocationHistoryRepository, subject: TrackSubject, q: TrackQuery): Promise<TrackResult> {
  const points: TrackPoint[] = [];
  let last: TrackPoint | undefined;
  const minMs = (q.minIntervalS ?? 0) * 1000;
  const minM = q.minDistanceM ?? 0;
  const next = await walk(repo, subject, q.from, q.to, (p) => {
    const keep = !last || ((p.at - last.at >= minMs) && (minM === 0 || distanceM(last.latitude, last.longitude, p.latitude, p.longitude) >= minM));
    if (keep) {
      points.push(p);
      last = p;
    }
    return points.length < q.limit;
  });
  return { points, next };
}

/** Kilometres along the recorded track between two instants, or null with fewer than two fixes. */
export async function trackDistanceKm(repo: LocationHistoryRepository, driverId: string, from: number, to: number): Promise<number | null> {
  let prev: TrackPoint | undefined;
  let metres = 0;
  let count = 0;
  await walk(repo, { driverId }, from, to, (p) => {
    if (prev) metres += distanceM(prev.latitude, prev.longitude, p.latitude, p.longitude);
    prev = p;
    count++;
    return true;
  });
  return count < 2 ? null : Math.round(metres) / 1000;
}
