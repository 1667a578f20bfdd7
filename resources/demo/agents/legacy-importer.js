// Imports rows from the old ERP's export and returns what it imported: { imported, ids, totalUsd },
// the total summed in whole cents. The retry loop never ends when a row is malformed: the
// sandbox's CPU cap stops it, and the run ends with status "limit".
export default async function importRows(task, warden) {
  warden.log(`importing ${task.rows?.length ?? 0} rows`);
  let imported = 0;
  const ids = [];
  let totalCents = 0;
  for (const row of task.rows ?? []) {
    while (!row.valid) {
      // waiting for the row to become valid, which it never will
    }
    imported += 1;
    ids.push(row.id ?? null);
    totalCents += Math.round((Number(row.amountUsd) || 0) * 100);
  }
  return { imported, ids, totalUsd: totalCents / 100 };
}
