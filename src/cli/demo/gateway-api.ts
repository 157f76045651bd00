/** The few HTTP calls the demo makes as an admin: users, wallets, vehicles, telemetry, geofences. */
export class GatewayApi {
  constructor(private readonly url: string, private readonly token: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    if (!res.ok && !okStatuses.includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return { status: res.status, body: parsed };
  }

  upsertUser(user: { id: string; role: string; name: string; vehicle?: Record<string, unknown> }) {
    return this.call('POST', '/api/users', user);
  }

  credit(userId: string, amount: number, reference: string) {
    return this.call('POST', `/api/users/${encodeURIComponent(userId)}/wallet/credits`, { amount, reference });
  }

  /** Registers the vehicle, or reassigns it and refuels it when an earlier run registered it. */
  async ensureVehicle(v: { id: string; plateNumber: string; driverId: string; fuelLevel: number }) {
    const created = await this.call('POST', '/api/vehicles', { ...v, type: 'sedan', status: 'active' }, [409]);
    if (created.status === 409) await this.call('PATCH', `/api/vehicles/${encodeURIComponent(v.id)}`, { driverId: v.driverId, fuelLevel: v.fuelLevel, status: 'active' });
  }

  telemetry(vehicleId: string, body: Record<string, unknown>) {
    return this.call('POST', `/api/vehicles/${encodeURIComponent(vehicleId)}/telemetry`, body);
  }

  /** One circular fence by name; an earlier run's fence is reused. */
  async ensureGeofence(name: string, center: { latitude: number; longitude: number }, radiusM: number): Promise<void> {
    const { body } = await this.call<{ geofences: { name: string }[] }>('GET', '/api/geofences');
    if (body.geofences.some((g) => g.name === name)) return;
    await this.call('POST', '/api/geofences', { name, circle: { center, radiusM } });
  }
}
