import { describe, expect, it } from 'vitest';
import { checkEventPayload, latestVersion } from '../../src/shared/events.js';

const HASH = 'a'.repeat(64);
const result = (content: unknown[]) => ({ callId: 'c1', ok: true, latencyMs: 3, content });

describe('tool.result v3: a result recorded part by part', () => {
  it('is kept by the version new results are written with (4, which adds resultRef), and takes each kind of part', () => {
    expect(latestVersion('tool.result')).toBe(4);
    const parts = [
      { type: 'text', text: 'here' },
      { type: 'image', mimeType: 'image/png', sha256: HASH, bytes: 4033 },
      { type: 'audio', mimeType: 'audio/wav', sha256: HASH, bytes: 12, data: 'AAAAAAAAAAAAAAAA' },
      { type: 'resource_link', uri: 'file:///a', name: 'a', mimeType: 'text/plain' },
      { type: 'resource', uri: 'file:///b', text: 'b' },
      { type: 'resource', uri: 'file:///c', sha256: HASH, bytes: 9, withheld: 'the bytes hold a secret' },
    ];
    expect(checkEventPayload('tool.result', 3, result(parts))).toMatchObject({ ok: true });
    expect(checkEventPayload('tool.result', 4, result(parts))).toMatchObject({ ok: true });
  });

  it('refuses a part without its hash, with a bad hash, or with a field no part has, naming where', () => {
    expect(checkEventPayload('tool.result', 3, result([{ type: 'image', mimeType: 'image/png', bytes: 1 }]))).toEqual({
      ok: false,
      message: expect.stringMatching(/^tool.result v3: payload.content.0.sha256: /),
    });
    expect(
      checkEventPayload('tool.result', 3, result([{ type: 'image', mimeType: 'image/png', bytes: 1, sha256: 'x' }])),
    ).toMatchObject({ ok: false, message: expect.stringContaining('expected a SHA-256 in hex') });
    expect(checkEventPayload('tool.result', 3, result([{ type: 'text', text: 'a', url: 'b' }]))).toMatchObject({
      ok: false,
    });
    // Older versions never held parts.
    expect(checkEventPayload('tool.result', 2, result([{ type: 'text', text: 'a' }]))).toMatchObject({ ok: false });
  });
});
