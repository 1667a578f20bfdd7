import { describe, expect, it } from 'vitest';
import { usd } from '../../src/shared/money.js';

describe('usd, the one way Warden writes money', () => {
  it('writes amounts of ten cents and up in cents with thousands separators', () => {
    expect(usd(4200)).toBe('$4,200.00');
    expect(usd(1_234_567.891)).toBe('$1,234,567.89');
    expect(usd(0.1)).toBe('$0.10');
    expect(usd(0)).toBe('$0.00');
  });

  it('keeps two significant digits of small costs, where model calls live', () => {
    expect(usd(0.0042)).toBe('$0.0042');
    expect(usd(0.05)).toBe('$0.05');
    expect(usd(0.0999)).toBe('$0.10');
    expect(usd(0.00001234)).toBe('$0.000012');
    expect(usd(1e-9)).toBe('< $0.000001');
  });

  it('puts the sign before the dollar and a dash where there is no amount', () => {
    expect(usd(-5)).toBe('-$5.00');
    expect(usd(-0.0042)).toBe('-$0.0042');
    expect(usd(null)).toBe('—');
    expect(usd(undefined)).toBe('—');
    expect(usd(Number.NaN)).toBe('—');
  });
});
