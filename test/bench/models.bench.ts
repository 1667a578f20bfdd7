import { AnthropicProvider } from '../../src/main/models/anthropic.js';
import { OpenAIProvider } from '../../src/main/models/openai.js';
import type { ModelProvider } from '../../src/main/models/provider.js';
import {
  anthropicMessage,
  anthropicStream,
  chatRequest,
  openaiCompletion,
  openaiStream,
  startFakeApi,
  type FakeApi,
  type Reply,
} from '../main/models/fake-api.js';
import { median, report } from './stats.js';

const CALLS = 40;
/** A reply of about 1,000 output tokens, as 250 streamed pieces of 4 words. */
const PIECES = Array.from({ length: 250 }, (_, i) => `word${i} word word word `);

/** Median time of one call (the SDK, Warden's mapping, and a local server with no think time), ms. */
async function callTime(api: FakeApi, provider: ModelProvider, model: string, reply: () => Reply): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < CALLS + 5; i++) {
    api.reply(reply());
    const started = performance.now();
    const response = await provider.chat(chatRequest(model));
    if (!response.text?.startsWith('word0')) throw new Error('bench: unexpected reply');
    if (i >= 5) samples.push(performance.now() - started);
  }
  return median(samples);
}

/** What a model call costs Warden on top of the model: the SDK and the mapping, whole and streamed. */
export async function modelBenchmarks(): Promise<void> {
  console.log('\nModel providers: one call of ~1,000 output tokens to a local fake (no model time)');
  const api = await startFakeApi();
  try {
    const settings = { name: 'bench', apiKey: 'sk-bench', timeoutMs: 10_000, maxRetries: 0 };
    const usage = { input_tokens: 500, output_tokens: 1000 };
    const anthropic = (stream: boolean) => new AnthropicProvider({ ...settings, baseUrl: api.url, stream });
    const openai = (stream: boolean) => new OpenAIProvider({ ...settings, baseUrl: `${api.url}/v1`, stream });
    const text = PIECES.join('');
    report(
      'Anthropic, whole reply, p50',
      await callTime(api, anthropic(false), 'claude-haiku-4-5', () => ({
        status: 200,
        json: anthropicMessage([{ type: 'text', text }], usage),
      })),
      'ms',
      'none (overhead)',
    );
    report(
      'Anthropic, streamed in 250 pieces, p50',
      await callTime(api, anthropic(true), 'claude-haiku-4-5', () => ({
        sse: anthropicStream([{ type: 'text', deltas: PIECES }], usage),
        paceMs: 0,
      })),
      'ms',
      'none (overhead)',
    );
    const tokens = { prompt_tokens: 500, completion_tokens: 1000 };
    report(
      'OpenAI, whole reply, p50',
      await callTime(api, openai(false), 'gpt-4o-mini', () => ({
        status: 200,
        json: openaiCompletion({ content: text }, tokens),
      })),
      'ms',
      'none (overhead)',
    );
    report(
      'OpenAI, streamed in 250 pieces, p50',
      await callTime(api, openai(true), 'gpt-4o-mini', () => ({
        sse: openaiStream(
          PIECES.map((content) => ({ content })),
          tokens,
        ),
        paceMs: 0,
      })),
      'ms',
      'none (overhead)',
    );
  } finally {
    await api.close();
  }
}
