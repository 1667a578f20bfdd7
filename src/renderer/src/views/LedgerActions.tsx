import { useState } from 'react';
import type { ExportFormat, WardenClient } from '../client.js';
import { startDownload } from '../download.js';
import { useStore } from '../store.js';

/** Filters a report takes: it covers a period and an agent, never one run or one event type. */
const REPORT_FILTERS = ['from', 'to', 'agentId'];

/**
 * Verify the chain; export the events filtered (JSONL, CSV) or a report of the period and agent
 * (HTML, PDF). `filters` are the view's, times already ISO. Exports hold every event that
 * matches, eval events included.
 */
export function LedgerActions({ client, filters }: { client: WardenClient; filters: Record<string, string> }) {
  const notify = useStore((s) => s.notify);
  const [chain, setChain] = useState<string | null>(null);

  const saveExport = async (format: ExportFormat, chosen: Record<string, string>) => {
    try {
      const file = await client.exportLedger!(format, chosen);
      if (file) notify('ok', `Exported to ${file}`);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  // In a browser the link alone opens nothing: the download takes a one-use ticket asked for
  // over the console's connection, which a page on another port cannot ask for.
  const download = async (href: string) => {
    try {
      startDownload(await client.ticketed!(href));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  const reportFilters = Object.fromEntries(Object.entries(filters).filter(([k]) => REPORT_FILTERS.includes(k)));
  const reportBlocked = reportProblem(filters);
  const exportAction = (format: ExportFormat, label: string, chosen: Record<string, string>, blocked: string | null) =>
    blocked !== null || client.exportLedger ? (
      <button
        data-export={format}
        disabled={blocked !== null}
        title={blocked ?? titleOf(format)}
        onClick={() => void saveExport(format, chosen)}
      >
        {label}
      </button>
    ) : (
      <a
        data-export={format}
        className="button"
        title={titleOf(format)}
        href={exportHref(format, chosen)}
        download
        onClick={(e) => {
          e.preventDefault();
          void download(exportHref(format, chosen));
        }}
      >
        {label}
      </a>
    );

  const verify = async () => {
    const report = await client.call('ledger.verify', {});
    const text = report.ok
      ? `Chain intact: ${report.checked} events, head seq ${report.head?.seq ?? 0}`
      : `Chain broken at seq ${report.firstBreak?.seq}: ${report.firstBreak?.message}`;
    setChain(text);
    notify(report.ok ? 'ok' : 'error', text);
  };

  return (
    <div className="bar ledger-actions">
      <button onClick={() => void verify()}>Verify chain</button>
      {chain && <span className="muted chain">{chain}</span>}
      <span className="action-group push" role="group" aria-label="Export events">
        {exportAction('jsonl', 'Export JSONL', filters, null)}
        {exportAction('csv', 'Export CSV', filters, null)}
      </span>
      {reportBlocked && (
        <span className="muted" data-report-blocked>
          {reportBlocked}
        </span>
      )}
      <span className="action-group" role="group" aria-label="Report">
        {exportAction('html', 'HTML report', reportFilters, reportBlocked)}
        {exportAction('pdf', 'PDF report', reportFilters, reportBlocked)}
      </span>
    </div>
  );
}

/** What an export holds, said where its button is. */
function titleOf(format: ExportFormat): string {
  return format === 'html' || format === 'pdf'
    ? 'A report of the period and agent filtered, anchored to a signed checkpoint'
    : 'The events filtered, with the signed checkpoint of the whole ledger';
}

/** Why the current filters cannot make a report, or null when they can. */
function reportProblem(filters: Record<string, string>): string | null {
  if (filters.runId || filters.type)
    return 'Reports cover a period and an agent: clear the run and type filters to make one.';
  if (filters.from && filters.to && new Date(filters.from) >= new Date(filters.to))
    return 'A report’s period must start before it ends.';
  return null;
}

/** The serve mode's download link for an export with these filters (already ISO). */
function exportHref(format: ExportFormat, filters: Record<string, string>): string {
  return `/export?${new URLSearchParams({ format, ...filters }).toString()}`;
}
