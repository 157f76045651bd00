/** What the demo has done so far, for the progress line and the caller. */
export interface DemoStats {
  drivers: number;
  riders: number;
  requested: number;
  accepted: number;
  completed: number;
  payments: number;
  alerts: number;
  lowFuel: number;
  errors: number;
  /** Ids of the trips the riders requested, in order. */
  tripIds: string[];
}

export const emptyStats = (): DemoStats => ({ drivers: 0, riders: 0, requested: 0, accepted: 0, completed: 0, payments: 0, alerts: 0, lowFuel: 0, errors: 0, tripIds: [] });

export function progressLine(s: DemoStats): string {
  return `drivers ${s.drivers} · riders ${s.riders} · trips requested ${s.requested} · accepted ${s.accepted} · completed ${s.completed} · payments ${s.payments} · low fuel ${s.lowFuel} · alerts ${s.alerts}${s.errors ? ` · errors ${s.errors}` : ''}`;
}
