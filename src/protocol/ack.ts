import type { WireError } from './errors.ts';

/** Acknowledgement answer for every client→server event (seed 003 shape). */
export type AckResponse<T = unknown> = { success: true; data: T } | { success: false; error: WireError };
export type AckFn<T = unknown> = (response: AckResponse<T>) => void;
