import type { ServerResponse } from 'node:http';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import type { ExportFilters } from '../../shared/export.js';
import { EXPORT_FORMATS, type ConsoleApi, type ExportFormatName } from '../host/api/index.js';
import { refuse } from './requests.js';

const CONTENT_TYPES: Record<ExportFormatName, string> = {
  jsonl: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * `/export?format=jsonl|csv|html|pdf&agentId=&runId=&type=&from=&to=`: the ledger, or a report
 * on it, as a download. The caller has checked the request's ticket.
 */
export async function serveExport(api: ConsoleApi, query: URLSearchParams, response: ServerResponse): Promise<void> {
  const format = query.get('format') as ExportFormatName | null;
  if (!format || !EXPORT_FORMATS.includes(format))
    return refuse(response, 400, 'format must be jsonl, csv, html or pdf');
  const dir = mkdtempSync(join(tmpdir(), 'warden-export-'));
  try {
    const filters: ExportFilters = {};
    for (const key of ['agentId', 'runId', 'type', 'from', 'to'] as const) {
      const value = query.get(key);
      if (!value) continue;
      if (key !== 'from' && key !== 'to') filters[key] = value;
      else if (Number.isNaN(Date.parse(value))) return refuse(response, 400, `${key} must be an ISO-8601 time`);
      else filters[key] = new Date(value).toISOString();
    }
    const report = format === 'html' || format === 'pdf';
    const name = `${report ? 'warden-ledger-report' : 'warden-ledger'}.${format}`;
    let written: string[];
    try {
      written = await api.exportTo(join(dir, name), format, filters);
    } catch (error) {
      return refuse(response, 400, (error as Error).message);
    }
    // A report over a large period keeps its events in JSONL exports beside it: one download
    // carries them all, so the report never names a file the auditor did not get.
    const bundle = written.length > 1;
    response.writeHead(200, {
      'Content-Type': bundle ? 'application/gzip' : CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${bundle ? `${name}.tar.gz` : name}"`,
      'Cache-Control': 'no-store',
    });
    const source: AsyncIterable<Buffer> = bundle
      ? tar.create(
          { gzip: true, cwd: dir, portable: true },
          written.map((path) => basename(path)),
        )
      : createReadStream(written[0]!);
    // A browser that goes away mid-download ends the response; nothing else is owed to it.
    await pipeline(source, response).catch(() => undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
