/** Money helpers: integer minor units inside, decimals with two places on the wire. */

/** 2750 → 27.5 (a decimal with at most two places). */
export function toMoney(minor: number): number {
  return Math.round(minor) / 100;
}

/** 27.5 → 2750; rejects amounts with more than two decimal places. */
export function toMinor(amount: number): number {
  const minor = Math.round(amount * 100);
  if (!Number.isFinite(amount) || Math.abs(minor - amount * 100) > 1e-6) throw new RangeError('amount has more than two decimal places');
  return minor;
}

/** Rates in basis points (1 % = 100), so the split never touches float arithmetic. */
export interface PaymentRates {
  platformFeeBp: number;
  commissionBp: number;
}

export interface Split {
  fareMinor: number;
  platformFeeMinor: number;
  totalMinor: number;
  driverEarningsMinor: number;
  commissionMinor: number;
}

/** `minor × bp / 10000`, rounded half up, in integers. */
function share(minor: number, bp: number): number {
  return Math.floor((minor * bp + 5000) / 10_000);
}

/**
 * The receipt split. The driver gets what is left of the fare after the
 * commission, so driver + commission = fare and fare + fee = total, exactly.
 */
export function splitFare(fareMinor: number, rates: PaymentRates): Split {
  const platformFeeMinor = share(fareMinor, rates.platformFeeBp);
  const commissionMinor = share(fareMinor, rates.commissionBp);
  return { fareMinor, platformFeeMinor, totalMinor: fareMinor + platformFeeMinor, driverEarningsMinor: fareMinor - commissionMinor, commissionMinor };
}
