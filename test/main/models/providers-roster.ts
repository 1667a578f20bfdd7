import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../../fixtures/providers-roster', import.meta.url));

/**
 * A copy of test/fixtures/providers-roster (reviewer on anthropic, drafter on openai,
 * summarizer on local) at `dir`/roster, its warden.yaml given these `providers:` entries
 * (e.g. `anthropic: { baseUrl: "…", apiKeyEnv: K }`). Returns the roster's folder.
 */
export function providersRoster(dir: string, providers: string[]): string {
  const roster = join(dir, 'roster');
  cpSync(FIXTURE, roster, { recursive: true });
  appendFileSync(join(roster, 'warden.yaml'), ['providers:', ...providers.map((p) => `  ${p}`), ''].join('\n'));
  return roster;
}

/**
 * The same roster where only reviewer's provider answers (anthropic at `url`, its key in the
 * variable `keyVar`): drafter's and summarizer's are configured, unreachable, so that the
 * roster is valid.
 */
export function reviewerOnAnthropic(dir: string, url: string, keyVar: string): string {
  return providersRoster(dir, [
    `anthropic: { baseUrl: "${url}", apiKeyEnv: ${keyVar}, maxRetries: 0 }`,
    `openai: { baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: ${keyVar} }`,
    'local: { baseUrl: "http://127.0.0.1:9/v1" }',
  ]);
}
