import { useState } from 'react';
import type { EventPayload } from '@livegate/client';
import { useLivegate } from './context.tsx';
import { useEvent, useOnConnect } from './use-event.ts';

export type DriverLocation = EventPayload<'driver_location_update'>;

/**
 * The latest position of `driverId` (`join_driver_location`, allowed for the
 * passenger of that driver's active trip and admins). Positions are volatile:
 * a missed one is simply replaced by the next.
 */
export function useDriverLocation(driverId: string | undefined): DriverLocation | undefined {
  const client = useLivegate();
  const [location, setLocation] = useState<DriverLocation>();
  useOnConnect(client, () => {
    if (driverId) client.emit('join_driver_location', { driverId }).catch(() => undefined);
  }, [driverId]);
  useEvent('driver_location_update', (p) => {
    if (p.driverId === driverId) setLocation(p);
  });
  return location;
}
