import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/**
 * Writes lines to a file through a stream, one line at a time as they are made, waiting for the
 * stream to drain whenever its buffer is full, so an export of any size holds one line in
 * memory, not the file. Writes to a temporary file and renames it once every line is on disk:
 * an export that fails leaves nothing under the name the user asked for. Returns how many
 * lines it wrote.
 */
export async function writeLinesAtomically(file: string, lines: Iterable<string>): Promise<number> {
  const temp = `${file}.partial-${process.pid}`;
  const out = createWriteStream(temp);
  // A write error surfaces at the next drain or at the end; until then it must not be unhandled.
  out.on('error', () => {});
  let count = 0;
  try {
    for (const line of lines) {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
      count++;
    }
    out.end();
    await finished(out);
    renameSync(temp, file);
    return count;
  } catch (error) {
    // The file may still be opening: remove it only once the stream has closed it.
    if (!out.closed) await new Promise<void>((closed) => out.once('close', () => closed()).destroy());
    rmSync(temp, { force: true });
    throw error;
  }
}
