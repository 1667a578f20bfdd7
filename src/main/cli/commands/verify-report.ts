import type { KeyCustody } from '../../audit/keys.js';
import type { LedgerVerifyReport } from '../../ledger/index.js';
import { EXIT, type CliIO } from '../io.js';

/** Where a data folder's verify looked, for its report. */
export interface FolderTarget {
  dataDir: string;
  /** The `--since` file, when one was given. */
  since: string | null;
  custody: KeyCustody | null;
}

/**
 * Prints `verify --data-dir`: a line for the chain and what anchors it (the folder's signed
 * checkpoints, its stored Merkle tree, a checkpoint given from outside), then where the
 * signing key lives, since that says how far the folder's own checkpoints can be trusted.
 * Exit 0 intact, 1 not.
 */
export function printFolderReport(io: CliIO, json: boolean, report: LedgerVerifyReport, target: FolderTarget): number {
  const { dataDir, since, custody } = target;
  if (json) {
    io.out(
      JSON.stringify({
        dataDir,
        ...report,
        since,
        signingKey: custody ? { sealed: custody.sealed, file: custody.file } : null,
      }),
    );
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  }
  const what = `the ledger in ${dataDir}`;
  if (report.ok) {
    const head = report.head ? `head seq ${report.head.seq}, hash ${report.head.hash}` : 'empty';
    io.out(
      `Intact: ${what}: ${report.checked} events, ${report.linksChecked} links checked; ${head}.${anchors(report, since)}`,
    );
  } else {
    const b = report.firstBreak!;
    io.out(`TAMPERED: ${what}: seq ${b.seq}: ${b.message} (${b.reason}).`);
  }
  io.out(custody ? custody.description : 'No signing key yet: nothing in this folder was signed.');
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

function anchors(report: LedgerVerifyReport, since: string | null): string {
  const e = report.evidence;
  if (!e || e.tree === 'none')
    return ' It predates Merkle trees and signed checkpoints: the chain is all there is to check.';
  const signed =
    e.checkpoints === 0
      ? 'no checkpoint signed yet'
      : e.checkpoints === 1
        ? `the checkpoint it signed holds (${e.latest!.size} events, ${e.latest!.time})`
        : `the ${e.checkpoints} checkpoints it signed hold (latest: ${e.latest!.size} events, ${e.latest!.time})`;
  const given = e.since
    ? ` The checkpoint in ${since} holds: ${e.since.size} events, signed ${e.since.time} with key ${e.since.keyFingerprint.slice(0, 16)}….`
    : '';
  return ` Stored Merkle tree matches the events; ${signed}.${given}`;
}
