import { randomUUID } from 'node:crypto';

/** A new id with a readable prefix: `run-3f9a0c12`. */
export function newId(prefix: 'run' | 'call' | 'draft' | 'eval'): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
