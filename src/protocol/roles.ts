export const ROLES = ['passenger', 'driver', 'admin', 'user', 'service'] as const;
export type Role = (typeof ROLES)[number];
/** Role of a socket connected without a token (only with ALLOW_ANONYMOUS=true). */
export type SocketRole = Exclude<Role, 'service'> | 'anonymous';

export const RATE_CLASSES = ['default', 'location', 'chat', 'auth'] as const;
/** Events registered with `none` are never rate-limited (emergencies). */
export type RateClass = (typeof RATE_CLASSES)[number];
