import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import type { ProviderTestView } from '../../../shared/api.js';
import { agentModel } from '../../../shared/roster.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { testProvider } from '../../host/providers.js';
import { redactSecrets } from '../../host/secrets.js';
import { Ledger } from '../../ledger/index.js';
import { createProviders, keysFromEnv } from '../../models/factory.js';
import { parseModelRef, providerLookup } from '../../models/provider.js';
import { loadRoster, problemsLine } from '../../roster/load.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';
import { usd } from '../../../shared/money.js';

const NAME = 'warden providers test';

/**
 * `warden providers test --roster R [--provider NAME]`: one short request to each provider the
 * roster's agents use (keys from the environment), so a wrong key, model or endpoint shows
 * before a run; each outcome and its cost is recorded as `provider.tested`. Exit 1 if any fails.
 */
export const providersTest: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      roster: { type: 'string' },
      provider: { type: 'string' },
      'data-dir': { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const dir = str(parsed, 'roster', NAME, true);
  const loaded = loadRoster(dir);
  if (!loaded.ok) {
    throw new UsageError(`${NAME}: ${problemsLine(dir, loaded.problems)}`);
  }
  const roster = loaded.roster;
  // In warden.yaml's order: the providers some agent runs on.
  const inUse = new Set(roster.agents.map((a) => parseModelRef(agentModel(a, roster.config)).provider));
  const used = Object.keys(roster.config.providers).filter((p) => inUse.has(p));
  const only = str(parsed, 'provider', NAME);
  if (only !== undefined && !used.includes(only)) {
    throw new UsageError(
      `${NAME}: no agent uses provider "${only}" (providers in use: ${used.length > 0 ? used.join(', ') : 'none'})`,
    );
  }
  const by = str(parsed, 'by', NAME) ?? `cli:${userInfo().username}`;
  const keys = keysFromEnv(process.env);
  const ledger = Ledger.open(resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir()));
  try {
    redactSecrets(ledger, roster, [keys]);
    const models = providerLookup(createProviders(roster.config, keys));
    const results: ProviderTestView[] = await Promise.all(
      (only ? [only] : used).map((provider) => testProvider({ roster, ledger, models }, provider, by)),
    );
    if (parsed.values.json === true) io.out(JSON.stringify({ roster: dir, results }));
    else if (results.length === 0) io.out('No agent of this roster uses a configured provider: nothing to test.');
    else
      for (const r of results) {
        io.out(
          r.ok
            ? `${r.provider} (${r.provider}:${r.model}): ok in ${r.latencyMs} ms, ${r.inputTokens + r.outputTokens} tokens, ${usd(r.costUsd)}`
            : `${r.provider} (${r.provider}:${r.model}): failed in ${r.latencyMs} ms: ${r.error?.message ?? 'unknown error'}`,
        );
      }
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.checkFailed;
  } finally {
    ledger.close();
  }
};
