import type { DriverProfile, PartyProfile, VehicleView } from './trip-types.ts';

/** The slice of the users module trips read (UsersService satisfies it). */
export interface ProfileReader {
  get(id: string): Promise<{ name: string; rating: number | null; phone: string | null; vehicle: VehicleView | null } | null>;
}

/**
 * Profiles are display data read after a state change has committed: a
 * failed read must not turn a done accept into an error, so it degrades to
 * the fallback name.
 */
async function read(reader: ProfileReader, id: string) {
  try {
    return await reader.get(id);
  } catch {
    return null;
  }
}

/** A party's profile, with a fallback name when the users module has none (the token's `name`). */
export async function partyProfile(reader: ProfileReader, id: string, fallbackName: string): Promise<PartyProfile> {
  const p = await read(reader, id);
  return { id, name: p?.name ?? fallbackName, rating: p?.rating ?? null, phone: p?.phone ?? null };
}

export async function driverProfile(reader: ProfileReader, id: string, fallbackName: string): Promise<DriverProfile> {
  const p = await read(reader, id);
  return { id, name: p?.name ?? fallbackName, rating: p?.rating ?? null, phone: p?.phone ?? null, vehicle: p?.vehicle ?? null };
}
