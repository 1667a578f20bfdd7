// Imports rows from the old ERP's export. The retry loop never ends when a row is malformed:
// the sandbox's CPU cap stops it, and the run ends with status "limit".
export default async function importRows(task, warden) {
  warden.log(`importing ${task.rows?.length ?? 0} rows`);
  let imported = 0;
  for (const row of task.rows ?? []) {
    while (!row.valid) {
      // waiting for the row to become valid, which it never will
    }
    imported += 1;
  }
  return { imported };
}
