import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { UsageError } from '../../../shared/errors.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { parse, str, time } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden ledger prune';

/**
 * `warden ledger prune --before DATE --reason R`: retention. Removes the bodies of the content
 * (prompts, replies, large results) that no event since DATE names, keeps their hashes, and
 * records the prune, who and why, as an event. `--dry-run` says what would go.
 */
export const ledgerPrune: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    {
      before: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const before = time(parsed, 'before', NAME);
  if (before === undefined) throw new UsageError(`${NAME}: --before is required (a date, e.g. 2026-06-01)`);
  if (Date.parse(before) > Date.now())
    throw new UsageError(`${NAME}: --before ${before} is in the future; retention removes only what is older than now`);
  const dryRun = parsed.values['dry-run'] === true;
  const reason = str(parsed, 'reason', NAME)?.trim() ?? '';
  if (!dryRun && reason === '') throw new UsageError(`${NAME}: --reason must say why (it is recorded with the prune)`);
  const by = str(parsed, 'by', NAME) ?? `cli:${userInfo().username}`;
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const json = parsed.values.json === true;

  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  try {
    if (dryRun) {
      const would = ledger.prunable(new Date(before));
      if (json) io.out(JSON.stringify({ dryRun: true, before, ...would }));
      else
        io.out(
          `Would remove ${would.pieces} bodies of content (${mib(would.bytes)}) that no event since ${before} names ` +
            `(events through seq ${would.throughSeq}); nothing was changed.`,
        );
      return EXIT.ok;
    }
    const event = await ledger.prune({ before: new Date(before), by, reason });
    const { pieces, bytes, throughSeq } = event.payload;
    if (json) io.out(JSON.stringify({ seq: event.seq, ts: event.ts, ...event.payload }));
    else
      io.out(
        `Removed ${pieces} bodies of content (${mib(bytes)}) that no event since ${before} names (events through seq ` +
          `${throughSeq}); their hashes stay, so the ledger still verifies. Recorded as seq ${event.seq} by ${by}: ${reason}.`,
      );
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
