import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi, type ConsoleApi } from '../../../src/main/host/api.js';
import { openWarden, type Warden } from '../../../src/main/host/warden.js';
import type { ModelTextPiece } from '../../../src/shared/api.js';
import type { LedgerEvent } from '../../../src/shared/events.js';
import { tempDir } from '../../helpers/temp.js';
import { anthropicStream, startFakeApi, type FakeApi } from '../models/fake-api.js';
import { reviewerOnAnthropic } from '../models/providers-roster.js';

// What the console's live view gets while a model streams: the text, gathered per run and sent
// on the events' tick, ahead of the model.called event that completes it.
const KEY_VAR = 'WARDEN_TEST_TEXT_ANTHROPIC_KEY';

let anthropic: FakeApi;
let cleanup: () => void;
let warden: Warden;
let api: ConsoleApi;

beforeAll(async () => {
  anthropic = await startFakeApi();
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const roster = reviewerOnAnthropic(dir, anthropic.url, KEY_VAR);
  process.env[KEY_VAR] = 'sk-ant-text-test-key-0001';
  warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data') });
  api = consoleApi(warden);
});
afterAll(async () => {
  api.close();
  await warden.close();
  await anthropic.close();
  delete process.env[KEY_VAR];
  cleanup();
});

describe('streamed model text in the console', () => {
  it('reaches subscribers per run, in order, before the event that records the call', async () => {
    const seen: ({ text: ModelTextPiece[] } | { events: LedgerEvent[] })[] = [];
    const offText = api.subscribeText((text) => seen.push({ text }));
    const offEvents = api.subscribe((events) => seen.push({ events }));
    try {
      anthropic.reply({
        sse: anthropicStream([{ type: 'text', deltas: ['The NDA', ' is', ' acceptable', '.'] }], {
          input_tokens: 5,
          output_tokens: 4,
        }),
      });
      const run = await warden.runtime.run('reviewer', { contract: 'NDA' });
      expect(run.output).toBe('The NDA is acceptable.');
      // Two ticks of the stream, so everything has been sent.
      await new Promise((r) => setTimeout(r, 250));
      const pieces = seen.flatMap((s) => ('text' in s ? s.text : []));
      expect(pieces.every((p) => p.runId === run.runId && p.agentId === 'reviewer')).toBe(true);
      expect(pieces.map((p) => p.text).join('')).toBe('The NDA is acceptable.');
      const lastText = seen.findLastIndex((s) => 'text' in s);
      const called = seen.findIndex(
        (s) => 'events' in s && s.events.some((e) => e.runId === run.runId && e.type === 'model.called'),
      );
      expect(called).toBeGreaterThan(lastText);
    } finally {
      offText();
      offEvents();
    }
  });
});
