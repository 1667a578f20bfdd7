import { toErrorData, type ErrorData } from '../../shared/errors.js';
import { priceOf, type ModelPrice } from './prices.js';
import type { ModelProvider } from './provider.js';

/** What a probe found: whether the provider answered, how fast, and what it cost. */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: ErrorData | null;
}

/** The longest a probe waits for its answer, ms. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Checks that a provider answers with the key and endpoint it has: one short request to
 * `model` ("Reply with OK", a few tokens) through the same client runs use, so a wrong key,
 * an unknown model or an unreachable endpoint shows now rather than in a run. Never throws.
 */
export async function probeProvider(
  provider: ModelProvider,
  model: string,
  prices: Readonly<Record<string, ModelPrice>>,
): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const response = await provider.chat({
      agentId: 'warden',
      model,
      messages: [{ role: 'user', content: 'Reply with the word OK.' }],
      tools: [],
      task: null,
      signal,
    });
    const { inputTokens, outputTokens } = response.usage;
    const price = priceOf(prices, `${provider.name}:${model}`);
    const costUsd = price ? (inputTokens * price.inputPerMTokUsd + outputTokens * price.outputPerMTokUsd) / 1e6 : 0;
    return { ok: true, latencyMs: elapsed(), inputTokens, outputTokens, costUsd, error: null };
  } catch (error) {
    return {
      ok: false,
      latencyMs: elapsed(),
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      // The probe's own deadline aborts the call, which the provider reports as cancelled.
      error: signal.aborted
        ? {
            code: 'E_MODEL',
            message: `model provider "${provider.name}" (${provider.name}:${model}): no answer within ${PROBE_TIMEOUT_MS / 1000} s`,
          }
        : toErrorData(error, 'E_MODEL'),
    };
  }
}
