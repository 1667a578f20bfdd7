import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CheckpointFileSchema, type CheckpointFile, type SignedCheckpoint } from '../../../shared/audit.js';
import { FileError } from '../../../shared/errors.js';
import { osSignOptions, signedCheckpoint } from '../../audit/checkpoints.js';
import { keyCustody } from '../../audit/keys.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { Ledger } from '../../ledger/index.js';
import { parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';

const NAME = 'warden ledger checkpoint';
/** A checkpoint file is a few hundred bytes; anything this big is not one. */
const MAX_CHECKPOINT_FILE = 64 * 1024;

/**
 * `warden ledger checkpoint --out F`: signs a checkpoint of the ledger as it stands and writes
 * it to a file for an auditor to keep outside the data folder.
 */
export const ledgerCheckpoint: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    { out: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const out = resolve(str(parsed, 'out', NAME, true));
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  try {
    const checkpoint = signedCheckpoint(ledger, osSignOptions());
    const file: CheckpointFile = { kind: 'warden.ledger.checkpoint', formatVersion: 1, checkpoint };
    const temp = `${out}.partial-${process.pid}`;
    try {
      writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
      renameSync(temp, out);
    } catch (error) {
      throw new FileError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const custody = keyCustody(dataDir);
    if (parsed.values.json === true) io.out(JSON.stringify({ out, checkpoint, keySealed: custody?.sealed ?? false }));
    else {
      io.out(
        `Wrote the checkpoint of ${checkpoint.size} events (root ${checkpoint.rootHash}, key ${checkpoint.keyFingerprint}) to ${out}. ` +
          `Keep it outside the data folder; warden ledger verify --data-dir ${dataDir} --since ${out} later shows whether anything it covers was changed.`,
      );
      if (custody) io.out(custody.description);
    }
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

/** What `verify --since OLD` was given: a checkpoint file, or an earlier JSONL export. */
export type SinceFile = { kind: 'checkpoint'; checkpoint: SignedCheckpoint } | { kind: 'export' };

/** Tells a checkpoint file from an export by its first line, and reads a checkpoint file whole. */
export function readSince(file: string): SinceFile {
  const first = firstBytes(file);
  const firstLine = first.split('\n')[0]!;
  try {
    if ((JSON.parse(firstLine) as { kind?: unknown }).kind === 'warden.ledger.export') return { kind: 'export' };
  } catch {
    // A checkpoint file is indented JSON over several lines: read below.
  }
  if (first.length >= MAX_CHECKPOINT_FILE)
    throw new FileError(`--since: ${file} is neither a checkpoint file (warden ledger checkpoint) nor a JSONL export`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new FileError(`--since: ${file} is neither a checkpoint file (warden ledger checkpoint) nor a JSONL export`);
  }
  const parsed = CheckpointFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FileError(
      `--since: ${file} is not a checkpoint file: ${issue.path.join('.') || 'file'}: ${issue.message}`,
    );
  }
  return { kind: 'checkpoint', checkpoint: parsed.data.checkpoint };
}

function firstBytes(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new FileError(
      `--since: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    const buffer = Buffer.alloc(MAX_CHECKPOINT_FILE);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
