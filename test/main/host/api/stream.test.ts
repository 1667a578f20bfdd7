import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleApi, type ConsoleApi } from '../../../../src/main/host/api/index.js';
import { openWarden, type Warden } from '../../../../src/main/host/warden.js';
import { PushSchema, type Push } from '../../../../src/shared/api.js';
import { tempDir } from '../../../helpers/temp.js';
import { anthropicStream, startFakeApi, type FakeApi } from '../../models/fake-api.js';
import { reviewerOnAnthropic } from '../../models/providers-roster.js';

// What the console's live view gets while a model streams: the text, gathered per run and sent
// on the events' tick, ahead of the model.called event that completes it.
const KEY_VAR = 'WARDEN_TEST_TEXT_ANTHROPIC_KEY';
const KEY = 'sk-ant-text-test-key-0001';

let anthropic: FakeApi;
let cleanup: () => void;
let warden: Warden;
let api: ConsoleApi;

beforeAll(async () => {
  anthropic = await startFakeApi();
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const roster = reviewerOnAnthropic(dir, anthropic.url, KEY_VAR);
  process.env[KEY_VAR] = KEY;
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
  it('reaches subscribers per run, as the whole text of the call so far, before the event that records the call', async () => {
    const seen: Push[] = [];
    const off = api.subscribe((push) => seen.push(push));
    try {
      anthropic.reply({
        sse: anthropicStream([{ type: 'text', deltas: ['The NDA', ' is', ' acceptable', '.'] }], {
          input_tokens: 5,
          output_tokens: 4,
        }),
        paceMs: 40,
      });
      const run = await warden.runtime.run('reviewer', { contract: 'NDA' });
      expect(run.output).toBe('The NDA is acceptable.');
      // Two ticks of the stream, so everything has been sent.
      await new Promise((r) => setTimeout(r, 250));
      // Every push is what the contract's schema says, text and events alike.
      expect(seen.filter((push) => !PushSchema.safeParse(push).success)).toEqual([]);
      const pieces = seen.flatMap((s) => (s.type === 'text' ? s.pieces : []));
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.every((p) => p.runId === run.runId && p.agentId === 'reviewer')).toBe(true);
      expect(new Set(pieces.map((p) => p.callId)).size).toBe(1);
      // Each is the text so far, growing; the last is all of it.
      pieces.slice(1).forEach((p, i) => expect(p.text.startsWith(pieces[i]!.text)).toBe(true));
      expect(pieces.at(-1)!.text).toBe('The NDA is acceptable.');
      const lastText = seen.findLastIndex((s) => s.type === 'text');
      const called = seen.findIndex(
        (s) => s.type === 'events' && s.events.some((e) => e.runId === run.runId && e.type === 'model.called'),
      );
      expect(called).toBeGreaterThan(lastText);
    } finally {
      off();
    }
  });

  it('redacts a secret the model writes, even split across pieces', async () => {
    const texts: string[] = [];
    const off = api.subscribe((push) => push.type === 'text' && texts.push(...push.pieces.map((p) => p.text)));
    try {
      anthropic.reply({
        sse: anthropicStream([{ type: 'text', deltas: ['The key is ', KEY.slice(0, 10), KEY.slice(10), '.'] }], {
          input_tokens: 5,
          output_tokens: 4,
        }),
      });
      await warden.runtime.run('reviewer', { contract: 'leak' });
      await new Promise((r) => setTimeout(r, 250));
      expect(texts.at(-1)).toBe(`The key is [redacted:${KEY_VAR}].`);
      expect(texts.some((t) => t.includes(KEY))).toBe(false);
    } finally {
      off();
    }
  });
});
