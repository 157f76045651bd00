import { z } from 'zod';
import { ROLES } from './roles.ts';
import { USER_STATUSES } from './families/users.ts';
import { id, text } from './schemas.ts';

/** Shapes of the HTTP API. Shared by the server and its OpenAPI document. */
export const vehicleInfo = z.object({
  make: text().min(1).max(60),
  model: text().min(1).max(60),
  year: z.number().int().min(1950).max(2100),
  color: text().min(1).max(40),
  plateNumber: text().min(1).max(20),
  type: text().min(1).max(30).default('sedan'),
});
export type VehicleInfo = z.output<typeof vehicleInfo>;

const profileFields = {
  role: z.enum(ROLES),
  name: text().trim().min(1).max(120),
  phone: text().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'expected a phone number').optional(),
  rating: z.number().min(0).max(5).optional(),
  status: z.enum(USER_STATUSES).optional(),
  vehicle: vehicleInfo.optional(),
};

export const upsertUserBody = z.object({ id, ...profileFields });
export const patchUserBody = z
  .object({ ...profileFields, role: profileFields.role.optional(), name: profileFields.name.optional(), reason: text().trim().max(500).optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const userProfile = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  name: z.string(),
  phone: z.string().nullable(),
  rating: z.number().nullable(),
  status: z.enum(USER_STATUSES),
  statusReason: z.string().nullable(),
  vehicle: vehicleInfo.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserProfile = z.output<typeof userProfile>;

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

export const connectionsBody = z.object({
  count: z.number().int(),
  connections: z.array(
    z.object({ socketId: z.string(), userId: z.string(), userRole: z.string(), connectedAt: z.string(), transport: z.string(), nodeId: z.string() }),
  ),
});

export const disconnectBody = z.union([
  z.object({ userId: id }).strict(),
  z.object({ socketId: text().min(1).max(64) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
