import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../../shared/errors.js';
import { signedCheckpointOf, type ExportFilters } from '../../../shared/export.js';
import type { SignedCheckpoint } from '../../../shared/audit.js';
import { LEDGER_FILE, Ledger, verifyExportFile, type VerifyReport } from '../../ledger/index.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { parse, str, time } from '../args.js';
import { osSignOptions, signCheckpoint, signedCheckpoint } from '../../audit/checkpoints.js';
import { keyCustody } from '../../audit/keys.js';
import { writeReport, type ReportSummary } from '../../audit/report/index.js';
import { exportOtlp } from '../../trace/otlp-export.js';
import { loadRoster, formatProblem, type Roster } from '../../roster/load.js';
import { verifyExtension } from './audit.js';
import { readSince } from './checkpoint.js';
import { printFolderReport } from './verify-report.js';
import { EXIT, type CliIO, type CommandRun } from '../io.js';

const VERIFY = 'warden ledger verify';
const EXPORT = 'warden ledger export';

/** `warden ledger verify`: recompute the chain of a data folder's ledger or of an export file. */
export const ledgerVerify: CommandRun = async (argv, io) => {
  const parsed = parse(
    VERIFY,
    argv,
    {
      'data-dir': { type: 'string' },
      file: { type: 'string' },
      since: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const file = str(parsed, 'file', VERIFY);
  const since = str(parsed, 'since', VERIFY);
  const dataDirFlag = str(parsed, 'data-dir', VERIFY);
  if (file && dataDirFlag) throw new UsageError(`${VERIFY}: give --data-dir or --file, not both`);
  const json = parsed.values.json === true;
  const key = str(parsed, 'key', VERIFY);
  if (key !== undefined && !/^[0-9a-f]{64}$/.test(key))
    throw new UsageError(`${VERIFY}: --key: expected the key's SHA-256 fingerprint, 64 hex digits`);
  if (key && !file && !since)
    throw new UsageError(`${VERIFY}: --key checks a signature from outside the folder: give --file or --since too`);
  if (file && since) return verifyExtension(io, json, file, since, key);
  if (file) {
    const report = verifyExportFile(file, key ? { trustedKey: key } : {});
    const scope = Object.keys(report.header.filters).length
      ? `filtered export (${describeFilters(report.header.filters)})`
      : 'whole-ledger export';
    return printReport(io, json, report, `${file}, a ${scope}`, {
      file,
      filters: report.header.filters,
      checkpoint: report.checkpoint,
    });
  }
  const dataDir = resolve(dataDirFlag ?? defaultDataDir());
  const given = since ? sinceCheckpoint(since) : undefined;
  const ledger = Ledger.open(dataDir, { mode: 'existing', upgrade: false });
  try {
    const report = await ledger.verify({
      ...(given ? { since: given } : {}),
      ...(key ? { trustedKey: key } : {}),
    });
    return printFolderReport(io, json, report, { dataDir, since: since ?? null, custody: keyCustody(dataDir) });
  } finally {
    ledger.close();
  }
};

/** The checkpoint `--since` names with `--data-dir`: a checkpoint file's, or an export header's. */
function sinceCheckpoint(file: string): SignedCheckpoint {
  const since = readSince(file);
  if (since.kind === 'checkpoint') return since.checkpoint;
  const signed = signedCheckpointOf(verifyExportFile(file).header);
  if (!signed) throw new UsageError(`${VERIFY}: --since: ${file} has no signed checkpoint`);
  return signed;
}

/**
 * `warden ledger export`: write events to JSONL (verifiable on its own) or CSV, runs as OTLP/JSON
 * traces, or a report of a period for auditors in HTML or PDF (with `--unit` and `--roster`).
 */
export const ledgerExport: CommandRun = async (argv, io) => {
  const parsed = parse(
    EXPORT,
    argv,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      agent: { type: 'string' },
      run: { type: 'string' },
      type: { type: 'string' },
      unit: { type: 'string' },
      roster: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const format = str(parsed, 'format', EXPORT, true);
  if (format !== 'jsonl' && format !== 'csv' && format !== 'otlp' && format !== 'html' && format !== 'pdf') {
    throw new UsageError(`${EXPORT}: --format: expected jsonl, csv, otlp, html or pdf, got "${format}"`);
  }
  const report = format === 'html' || format === 'pdf';
  refuseFlagsOf(format, parsed.values);
  const out = resolve(str(parsed, 'out', EXPORT, true));
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`${EXPORT}: --out: folder ${folder} does not exist`);
  if (existsSync(out) && statSync(out).isDirectory())
    throw new UsageError(`${EXPORT}: --out: ${out} is a folder; name a file`);
  const filters: ExportFilters = {
    from: time(parsed, 'from', EXPORT),
    to: time(parsed, 'to', EXPORT),
    agentId: str(parsed, 'agent', EXPORT),
    runId: str(parsed, 'run', EXPORT),
    type: str(parsed, 'type', EXPORT),
  };
  const dataDir = resolve(str(parsed, 'data-dir', EXPORT) ?? defaultDataDir());
  const ledgerFile = join(realpathOrSelf(dataDir), LEDGER_FILE);
  const target = join(realpathOrSelf(folder), basename(out));
  if ([ledgerFile, `${ledgerFile}-wal`, `${ledgerFile}-shm`].includes(target)) {
    throw new UsageError(`${EXPORT}: --out: ${out} is the ledger itself; name another file`);
  }
  if (report) return exportReport(io, parsed.values, { format, out, dataDir, filters });
  if (format === 'otlp') return exportTraces(io, parsed.values.json === true, { out, dataDir, filters });
  // Upgraded if it predates signed checkpoints: every JSONL export carries one.
  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  try {
    const keys = osSignOptions();
    const summary = ledger.export(out, format, filters, { sign: (head) => signCheckpoint(ledger, head, keys) });
    if (parsed.values.json === true) io.out(JSON.stringify(summary));
    else
      io.out(`Exported ${summary.count} events to ${out} (${format}); chain head seq ${summary.chainHead?.seq ?? 0}.`);
    return EXIT.ok;
  } finally {
    ledger.close();
  }
};

/** Refuses, in one line, a flag the format does not take. */
function refuseFlagsOf(format: string, values: Record<string, string | boolean | undefined>): void {
  const given = (flag: string) => values[flag] !== undefined;
  const report = format === 'html' || format === 'pdf';
  for (const flag of report ? ['run', 'type'] : ['unit', 'roster']) {
    if (!given(flag)) continue;
    throw new UsageError(
      report
        ? `${EXPORT}: --${flag} applies to ${flag === 'run' ? 'jsonl, csv and otlp' : 'jsonl and csv'}; a ${format} report covers agents over a period (--from, --to, --agent, --unit)`
        : `${EXPORT}: --${flag} applies to html and pdf reports, not to ${format}`,
    );
  }
  if (format !== 'otlp') return;
  if (given('type'))
    throw new UsageError(
      `${EXPORT}: --type applies to jsonl and csv; an otlp export holds whole traces (--run, or --agent, --from, --to)`,
    );
  const others = ['agent', 'from', 'to'].filter(given);
  if (given('run') && others.length > 0)
    throw new UsageError(`${EXPORT}: --run exports that run's trace alone; leave out --${others.join(', --')}`);
}

/** `ledger export --format otlp`: the runs as OTLP/JSON traces, one root run a line. */
async function exportTraces(
  io: CliIO,
  json: boolean,
  target: { out: string; dataDir: string; filters: ExportFilters },
): Promise<number> {
  const { out, dataDir, filters } = target;
  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  try {
    const runId = filters.runId;
    if (runId !== undefined && ledger.reader.page({ runId, type: 'run.started', limit: 1 }).events.length === 0)
      throw new UsageError(`${EXPORT}: --run: no run ${runId} in this ledger (warden runs list shows the latest)`);
    const { type: _type, ...traceFilters } = filters;
    const summary = await exportOtlp(ledger, out, traceFilters);
    if (json) io.out(JSON.stringify(summary));
    else
      io.out(
        `Exported ${count(summary.traces, 'trace')} (${count(summary.spans, 'span')}) to ${out} (otlp); chain head seq ${summary.chainHead?.seq ?? 0}.`,
      );
    return EXIT.ok;
  } finally {
    ledger.close();
  }
}

/** `ledger export --format html|pdf`: a report anchored to a checkpoint signed now. */
async function exportReport(
  io: CliIO,
  values: Record<string, string | boolean | undefined>,
  target: { format: 'html' | 'pdf'; out: string; dataDir: string; filters: ExportFilters },
): Promise<number> {
  const { format, out, dataDir, filters } = target;
  if (filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to)
    throw new UsageError(`${EXPORT}: --from (${filters.from}) must come before --to (${filters.to})`);
  const unit = typeof values.unit === 'string' ? values.unit : undefined;
  let roster: Roster | undefined;
  if (typeof values.roster === 'string') {
    const loaded = loadRoster(resolve(values.roster));
    if (!loaded.ok) throw new UsageError(`${EXPORT}: --roster: ${formatProblem(loaded.problems[0]!)}`);
    roster = loaded.roster;
  }
  // Upgraded if it predates signed checkpoints or KPIs: the report states one and reads them.
  const ledger = Ledger.open(dataDir, { mode: 'existing' });
  try {
    const keys = osSignOptions();
    if (
      unit !== undefined &&
      ledger.facts.agentsOfUnit(unit).length === 0 &&
      !roster?.agents.some((a) => a.businessUnit === unit)
    )
      throw new UsageError(
        `${EXPORT}: --unit: no agent of business unit "${unit}" has run here${roster ? ' or is on the roster' : ''}`,
      );
    const summary = await writeReport(ledger, out, format, {
      filters: { ...filters, ...(unit !== undefined ? { unit } : {}) },
      checkpoint: signedCheckpoint(ledger, keys),
      ...(roster ? { roster } : {}),
      sign: (head) => signCheckpoint(ledger, head, keys),
    });
    if (values.json === true) io.out(JSON.stringify(summary));
    else io.out(describeReport(summary));
    return EXIT.ok;
  } finally {
    ledger.close();
  }
}

function describeReport(s: ReportSummary): string {
  const pages = s.pages === null ? '' : `, ${s.pages} pages`;
  const appendix =
    s.appendix.kind === 'inline'
      ? 'its appendix lists them'
      : `they are in ${s.appendix.files.map((f) => f.path).join(', ') || 'no export (no agent in scope)'}`;
  return (
    `Wrote the ${s.format.toUpperCase()} report to ${s.file}${pages}: ${s.events} events, ${appendix}; ` +
    `checkpoint of ${s.checkpoint.size} events, root ${s.checkpoint.rootHash}, key ${s.checkpoint.keyFingerprint}.`
  );
}

/** Prints a verify report, one line for a person or a JSON document; exit 0 intact, 1 not. */
export function printReport(
  io: CliIO,
  json: boolean,
  report: VerifyReport,
  what: string,
  extra: Record<string, unknown>,
): number {
  if (json) {
    const { header: _header, ...rest } = report as VerifyReport & { header?: unknown };
    io.out(JSON.stringify({ ...extra, ...rest }));
  } else if (report.ok) {
    const head = report.head ? `head seq ${report.head.seq}, hash ${report.head.hash}` : 'empty';
    const gaps = report.gaps ? `; ${report.gaps} gap(s) left by the filter, whose links cannot be checked here` : '';
    const signed = (report as { checkpoint?: string }).checkpoint;
    const checkpoint =
      signed === 'verified'
        ? ' Signed checkpoint: signature and Merkle root verified.'
        : signed === 'signature-only'
          ? ' Signed checkpoint: signature verified (a filtered export cannot rebuild the root).'
          : signed === 'unsigned'
            ? ' No signed checkpoint.'
            : '';
    const content = (report as { content?: { bodies: number; removed: number } }).content;
    const pieces =
      content && content.bodies + content.removed > 0
        ? ` Content: ${content.bodies} bodies match their hashes${content.removed ? `, ${content.removed} removed by retention` : ''}.`
        : '';
    io.out(
      `Intact: ${what}: ${report.checked} events, ${report.linksChecked} links checked${gaps}; ${head}.${checkpoint}${pieces}`,
    );
  } else {
    io.out(
      `TAMPERED: ${what}: seq ${report.firstBreak!.seq}: ${report.firstBreak!.message} (${report.firstBreak!.reason}).`,
    );
  }
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

function describeFilters(filters: Record<string, unknown>): string {
  return Object.entries(filters)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** "1 trace", "2 traces". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
