/**
 * Money as Warden writes it everywhere (console, CLI, reports, the gateway's reasons), so one
 * amount never reads two ways. Amounts are US dollars.
 */

const CENTS = { minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;

/**
 * `$4,200.00`; under ten cents two significant digits, since model costs live there
 * (`$0.0042`); under a millionth of a dollar `< $0.000001`; `—` where there is no amount.
 */
export function usd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const sign = amount < 0 ? '-' : '';
  const size = Math.abs(amount);
  if (size === 0 || size >= 0.1) return `${sign}$${size.toLocaleString('en-US', CENTS)}`;
  if (size < 0.000001) return `${sign === '-' ? '> -' : '< '}$0.000001`;
  const digits = String(Number(size.toPrecision(2))); // never exponential at or above 1e-6
  return `${sign}$${digits.length < 4 ? Number(digits).toFixed(2) : digits}`;
}
