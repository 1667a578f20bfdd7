import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InclusionProofSchema, type InclusionProof, type SignedCheckpoint } from '../../../shared/audit.js';
import { FileError, UsageError } from '../../../shared/errors.js';
import { signedCheckpointOf } from '../../../shared/export.js';
import { inclusionProof, osSignOptions, signedCheckpoint } from '../../audit/checkpoints.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { checkpointProblem, proofProblem } from '../../ledger/checkpoint.js';
import { Ledger, verifyExportFile } from '../../ledger/index.js';
import { int, parse, str } from '../args.js';
import { EXIT, type CliIO, type CommandRun } from '../io.js';
import { readSince } from './checkpoint.js';

/**
 * `warden ledger verify --file NEW --since OLD`: both hold, both are signed by the same
 * ledger's key, and NEW's first OLD.size events have exactly the Merkle root OLD signed, so
 * nothing OLD held was rewritten, dropped or reordered between the two audits. OLD is an
 * earlier export, or a checkpoint file from `warden ledger checkpoint`.
 */
export function verifyExtension(
  io: CliIO,
  json: boolean,
  newFile: string,
  oldFile: string,
  trustedKey?: string,
): number {
  const name = 'warden ledger verify --since';
  const verdict = (ok: boolean, message: string, extra: object = {}): number => {
    if (json) io.out(JSON.stringify({ ok, file: newFile, since: oldFile, message, ...extra }));
    else io.out(`${ok ? 'Extends' : 'NOT AN EXTENSION'}: ${message}`);
    return ok ? EXIT.ok : EXIT.checkFailed;
  };
  const given = readSince(oldFile);
  let before: SignedCheckpoint;
  if (given.kind === 'checkpoint') {
    const problem = checkpointProblem(given.checkpoint, trustedKey);
    if (problem) return verdict(false, `${oldFile} does not hold: ${problem}`);
    before = given.checkpoint;
  } else {
    const old = verifyExportFile(oldFile, trustedKey ? { trustedKey } : {});
    const signed = signedCheckpointOf(old.header);
    if (!signed) throw new UsageError(`${name}: ${oldFile} has no signed checkpoint`);
    if (!old.ok)
      return verdict(false, `${oldFile} does not hold: seq ${old.firstBreak!.seq}: ${old.firstBreak!.message}`);
    before = signed;
  }
  const now = verifyExportFile(newFile, { rootAtSize: before.size, ...(trustedKey ? { trustedKey } : {}) });
  if (!now.ok)
    return verdict(false, `${newFile} does not hold: seq ${now.firstBreak!.seq}: ${now.firstBreak!.message}`);
  const after = signedCheckpointOf(now.header);
  if (!after) throw new UsageError(`${name}: ${newFile} has no signed checkpoint`);
  if (now.checkpoint !== 'verified')
    throw new UsageError(`${name}: ${newFile} is a filtered export; comparing needs a whole-ledger export`);
  if (after.origin !== before.origin)
    return verdict(false, `they are exports of different ledgers (${before.origin}, ${after.origin})`);
  if (after.keyFingerprint !== before.keyFingerprint)
    return verdict(
      false,
      `${newFile} is signed by another key (${after.keyFingerprint.slice(0, 16)}…) than ${oldFile} (${before.keyFingerprint.slice(0, 16)}…)`,
    );
  if (after.size < before.size)
    return verdict(
      false,
      `${newFile} holds ${after.size} events, fewer than the ${before.size} ${oldFile} signed: history was cut`,
    );
  if (now.rootAt?.rootHash !== before.rootHash)
    return verdict(
      false,
      `${newFile} rewrote history: the Merkle root of its first ${before.size} events is not the one ${oldFile} signed`,
    );
  return verdict(
    true,
    `${newFile} keeps the ${before.size} events ${oldFile} signed (root ${before.rootHash.slice(0, 16)}…) and adds ${after.size - before.size}; signed by key ${after.keyFingerprint.slice(0, 16)}…`,
    { sizes: [before.size, after.size], keyFingerprint: after.keyFingerprint },
  );
}

/** `warden ledger prove --seq N --out P`: one event, and the path from it to a signed checkpoint's root. */
export const ledgerProve: CommandRun = async (argv, io) => {
  const name = 'warden ledger prove';
  const parsed = parse(
    name,
    argv,
    { seq: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const seq = int(parsed, 'seq', name, 1, Number.MAX_SAFE_INTEGER);
  if (seq === undefined) throw new UsageError(`${name}: --seq is required`);
  const out = resolve(str(parsed, 'out', name, true));
  const ledger = Ledger.open(resolve(str(parsed, 'data-dir', name) ?? defaultDataDir()), { mode: 'existing' });
  try {
    const event = ledger.reader.get(seq);
    if (!event)
      throw new UsageError(
        `${name}: --seq: the ledger has no event ${seq} (its head is seq ${ledger.reader.head()?.seq ?? 0})`,
      );
    const checkpoint = signedCheckpoint(ledger, osSignOptions());
    const proof = inclusionProof(ledger, event, checkpoint);
    const temp = `${out}.partial-${process.pid}`;
    writeFileSync(temp, `${JSON.stringify(proof, null, 2)}\n`);
    renameSync(temp, out);
    if (parsed.values.json === true)
      io.out(JSON.stringify({ out, seq, size: checkpoint.size, keyFingerprint: checkpoint.keyFingerprint }));
    else
      io.out(
        `Wrote the proof that seq ${seq} (${event.type}) is in the ledger of ${checkpoint.size} events to ${out}; signed by key ${checkpoint.keyFingerprint}.`,
      );
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

/** `warden ledger verify-proof P [--key FINGERPRINT]`: checks a proof file with no ledger at hand. */
export const ledgerVerifyProof: CommandRun = async (argv, io) => {
  const name = 'warden ledger verify-proof';
  const parsed = parse(name, argv, { key: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const file = parsed.positionals[0];
  if (!file) throw new UsageError(`${name}: name the proof file (warden ledger prove writes one)`);
  const proof = readProof(file);
  const key = str(parsed, 'key', name);
  const problem = proofProblem(proof, key);
  const { event, checkpoint } = proof;
  if (parsed.values.json === true)
    io.out(
      JSON.stringify({
        ok: problem === null,
        file,
        seq: event.seq,
        size: checkpoint.size,
        keyFingerprint: checkpoint.keyFingerprint,
        problem,
      }),
    );
  else if (problem) io.out(`REFUSED: ${file}: ${problem}.`);
  else
    io.out(
      `Proven: seq ${event.seq} (${event.type}, ${event.ts}) is event ${event.seq} of the ${checkpoint.size} in ledger ${checkpoint.origin}, as checkpointed at ${checkpoint.time} and signed by key ${checkpoint.keyFingerprint}.`,
    );
  return problem ? EXIT.checkFailed : EXIT.ok;
};

function readProof(file: string): InclusionProof {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FileError(`${file} is not an inclusion proof (not JSON)`);
  }
  const parsed = InclusionProofSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FileError(`${file} is not an inclusion proof: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return parsed.data;
}
