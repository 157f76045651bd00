import { z } from 'zod';

/** Shared building blocks for payload schemas. Strings are always bounded. */
export const id = z.string().trim().min(1).max(128);
export const shortText = z.string().max(200);
export const longText = z.string().max(2000);
export const isoTime = z.iso.datetime({ offset: true });
export const finite = z.number().finite();

export const latitude = finite.min(-90).max(90);
export const longitude = finite.min(-180).max(180);
export const latLng = z.object({ latitude, longitude });

/** Events that carry no payload accept nothing, null or an empty object. */
export const noPayload = z.union([z.undefined(), z.null(), z.object({})]).transform(() => undefined);
