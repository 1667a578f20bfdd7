import { readFileSync, readdirSync, appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../../src/main/audit/checkpoints.js';
import { writeReport } from '../../../src/main/audit/report/index.js';
import { openWarden } from '../../../src/main/host/warden.js';
import { Ledger } from '../../../src/main/ledger/index.js';
import { Redactor } from '../../../src/main/ledger/redact.js';
import { signedCheckpoint } from '../../../src/main/audit/checkpoints.js';
import { useTempDirs } from '../cli/helpers.js';
import { rosterWithSuites } from '../evals/roster.js';

const temp = useTempDirs();
afterEach(() => temp.cleanup());

const CANARY = 'sk-canary-7f3a9c2e41b84d6f';

/** Every byte of every file under a folder, as text, to search for the canary. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe('secrets in the ledger', () => {
  it('are replaced in every payload before hashing, so no file or export holds them and the chain holds', async () => {
    const dir = temp.make('warden-redact-');
    const data = join(dir, 'data');
    const ledger = Ledger.open(data);
    ledger.redact('OPENAI_API_KEY', CANARY);
    ledger.redact('SHORT', 'abc');
    await ledger.append({
      type: 'run.log',
      runId: 'run-1',
      agentId: 'a',
      payload: { level: 'info', message: `key=${CANARY}; abc stays` },
    });
    await ledger.append({
      type: 'tool.requested',
      runId: 'run-1',
      agentId: 'a',
      payload: {
        callId: 'c1',
        server: 'erp',
        tool: 'login',
        args: { nested: [{ token: CANARY }], [`k-${CANARY}`]: 1 },
      },
    });
    const [log, call] = [...ledger.reader.each()];
    expect(log!.payload).toEqual({ level: 'info', message: 'key=[redacted:OPENAI_API_KEY]; abc stays' });
    expect(JSON.stringify(call!.payload)).not.toContain(CANARY);
    expect(JSON.stringify(call!.payload)).toContain('[redacted:OPENAI_API_KEY]');
    expect((await ledger.verify()).ok).toBe(true);
    for (const format of ['jsonl', 'csv'] as const)
      ledger.export(join(dir, `x.${format}`), format, {}, { sign: (head) => signCheckpoint(ledger, head) });
    await writeReport(ledger, join(dir, 'x.html'), 'html', { filters: {}, checkpoint: signedCheckpoint(ledger) });
    ledger.flushWal();
    expect(everything(dir)).not.toContain(CANARY);
    ledger.close();
    expect(everything(dir)).not.toContain(CANARY);
  });

  it('include the API keys a roster names and the variables mcp.json passes to servers', async () => {
    const dir = temp.make('warden-redact-');
    const roster = rosterWithSuites(dir, {});
    // openai names its variable; anthropic takes its kind's default, ANTHROPIC_API_KEY.
    appendFileSync(
      join(roster, 'warden.yaml'),
      '\nproviders:\n  openai:\n    apiKeyEnv: WARDEN_CANARY_KEY\n  anthropic: {}\n',
    );
    const defaultCanary = 'sk-ant-default-variable-canary-4b1f';
    process.env.WARDEN_CANARY_KEY = CANARY;
    process.env.ANTHROPIC_API_KEY = defaultCanary;
    try {
      const warden = await openWarden({ rosterDir: roster, dataDir: join(dir, 'data') });
      try {
        // A task that carries the key (pasted by mistake, or echoed by a tool) is recorded without it.
        const customer = `Acme ${CANARY} ${defaultCanary}`;
        const run = await warden.runtime.run('quoting', { kind: 'quote', customer, items: [] });
        const started = warden.ledger.reader.page({ runId: run.runId, type: 'run.started' }).events[0]!;
        expect(JSON.stringify(started.payload)).toContain(
          'Acme [redacted:WARDEN_CANARY_KEY] [redacted:ANTHROPIC_API_KEY]',
        );
      } finally {
        await warden.close();
      }
      expect(existsSync(join(dir, 'data', 'ledger.db'))).toBe(true);
      expect(everything(join(dir, 'data'))).not.toContain(CANARY);
      expect(everything(join(dir, 'data'))).not.toContain(defaultCanary);
    } finally {
      delete process.env.WARDEN_CANARY_KEY;
      delete process.env.ANTHROPIC_API_KEY;
    }
  });
});

describe('encoded secrets', () => {
  const SECRET = 'tok-9Qx/7+Lm==zZ&k';
  const redactor = () => {
    const r = new Redactor();
    r.add('SECRET_TOKEN', SECRET);
    return r;
  };

  it('are caught as base64 wherever the secret sits in what was encoded (a Basic header), and as base64url', () => {
    const r = redactor();
    for (const prefix of ['', 'a:', 'ab:', 'svc:']) {
      const basic = Buffer.from(`${prefix}${SECRET}`).toString('base64');
      const url = Buffer.from(`${prefix}${SECRET}`).toString('base64url');
      for (const text of [`Authorization: Basic ${basic}`, `jwt ${url}.sig`]) {
        const out = r.scrubText(text);
        expect(out, `${prefix} ${text}`).toContain('[redacted:SECRET_TOKEN]');
      }
    }
  });

  it('are caught URL-encoded (either case) and hex-encoded, in log text and in payloads', async () => {
    const r = redactor();
    const forms = [
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      Buffer.from(SECRET).toString('hex'),
      Buffer.from(SECRET).toString('hex').toUpperCase(),
    ];
    for (const form of forms)
      expect(r.scrubText(`GET /x?token=${form}&y=1`)).toBe('GET /x?token=[redacted:SECRET_TOKEN]&y=1');

    const dir = temp.make('warden-redact-');
    const ledger = Ledger.open(join(dir, 'data'));
    ledger.redact('SECRET_TOKEN', SECRET);
    await ledger.append({
      type: 'run.log',
      runId: 'run-1',
      agentId: 'a',
      payload: { level: 'info', message: forms.concat(Buffer.from(`u:${SECRET}`).toString('base64')).join(' ') },
    });
    const message = (ledger.reader.page({ type: 'run.log' }).events[0]!.payload as { message: string }).message;
    expect(message.match(/\[redacted:SECRET_TOKEN\]/g)).toHaveLength(5);
    for (const form of forms) expect(message).not.toContain(form);
    expect((await ledger.verify()).ok).toBe(true);
    ledger.close();
  });

  it('leave ordinary text alone', () => {
    expect(redactor().scrubText('nothing secret here: abc def 0123 %20')).toBe('nothing secret here: abc def 0123 %20');
  });
});
