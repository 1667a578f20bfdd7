/** Percentile of a sample (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Median of a sample. */
export function median(samples: number[]): number {
  return percentile(samples, 50);
}

/** Prints one figure as `name  value unit  (target)`. */
export function report(name: string, value: number, unit: string, target: string): void {
  const shown = value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 1 ? 2 : 3);
  console.log(`${name.padEnd(52)} ${shown.padStart(12)} ${unit.padEnd(9)} target ${target}`);
}

/** Prints p50, p95 and p99 of a sample, the target beside each (`-` where there is none). */
export function reportPercentiles(
  name: string,
  samples: number[],
  unit: string,
  targets: { p50?: string; p95?: string; p99?: string } = {},
): void {
  report(`${name}, p50`, percentile(samples, 50), unit, targets.p50 ?? '-');
  report('  same, p95', percentile(samples, 95), unit, targets.p95 ?? '-');
  report(`  same, p99 (${samples.length} samples)`, percentile(samples, 99), unit, targets.p99 ?? '-');
}
