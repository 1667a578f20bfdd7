import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Stream } from 'node:stream';

/** A line longer than this is written in pieces, so a server that never ends a line cannot fill memory. */
const MAX_LINE_CHARS = 64 * 1024;
/**
 * What each piece of an over-long line holds back, characters: it is redacted again together
 * with what follows, so a secret split at the cut is whole when it is looked for. Far longer
 * than any key or token, in any of its encodings.
 */
const HELD_CHARS = 8 * 1024;
/** What one server process may write before the rest of its output is dropped, bytes. */
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Lines of a stream's output kept in memory, redacted, to say why its process died. */
const TAIL_LINES = 40;
/** A kept line longer than this is cut: the tail explains, the log file holds everything. */
const TAIL_LINE_CHARS = 300;

/** What a followed stream last wrote, already redacted, and when it ended. */
export interface StreamTail {
  /** The last lines written (at most `count`), leaving out blank lines and JavaScript stack frames. */
  lines(count: number): string[];
  /** Resolves once the stream has ended (or failed): everything it wrote is in `lines`. */
  ended: Promise<void>;
}

/**
 * The one writer of server output to a log file: text is redacted a whole line at a time,
 * never a chunk at a time, because a process's writes arrive in pieces that can split a
 * secret in two. Each followed stream (one per server process) keeps its own unfinished line
 * and its own size cap.
 */
export class RedactingLog {
  private file: WriteStream | null = null;
  private closed = false;
  /** Writes out each followed stream's unfinished line: run when the log closes. */
  private readonly flushers = new Set<() => void>();

  constructor(
    private readonly path: string,
    private readonly redact: (text: string) => string = (text) => text,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /**
   * Copies a stream (a server process's stderr) into the log, redacted line by line, until it
   * ends; returns what it last wrote, so a server that dies can be explained without the file.
   */
  follow(stream: Stream): StreamTail {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let written = 0;
    let cut = false;
    const tail = new Tail();
    const emit = (text: string) => {
      if (cut || text.length === 0) return;
      tail.add(text);
      written += Buffer.byteLength(text);
      if (written > this.maxBytes) {
        cut = true;
        this.write(`\n[warden: output cut at ${Math.round(this.maxBytes / 1024 / 1024)} MB]\n`);
      } else this.write(text);
    };
    const flush = () => {
      pending += decoder.end();
      if (pending) emit(`${this.redact(pending)}\n`);
      pending = '';
      this.flushers.delete(flush);
    };
    this.flushers.add(flush);
    stream.on('data', (chunk: Buffer | string) => {
      if (cut) return;
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const end = pending.lastIndexOf('\n');
      if (end >= 0) {
        emit(this.redact(pending.slice(0, end + 1)));
        pending = pending.slice(end + 1);
      }
      if (pending.length > MAX_LINE_CHARS) {
        // Redacted first, then cut: a secret wholly inside is gone, and one that starts in the
        // held part is still in one piece there when the next data joins it.
        const redacted = this.redact(pending);
        emit(redacted.slice(0, -HELD_CHARS));
        pending = redacted.slice(-HELD_CHARS);
      }
    });
    const ended = new Promise<void>((done) => {
      const end = () => {
        flush();
        done();
      };
      stream.on('end', end);
      stream.on('error', end);
      stream.on('close', end);
    });
    return { lines: (count) => tail.last(count), ended };
  }

  /** Writes out what the followed streams hold and closes the file; resolves once it is on disk. */
  close(): Promise<void> {
    for (const flush of [...this.flushers]) flush();
    this.closed = true;
    const file = this.file;
    this.file = null;
    if (!file) return Promise.resolve();
    return new Promise((done) => {
      file.once('close', () => done());
      file.end();
    });
  }

  private write(text: string): void {
    if (this.closed) return;
    if (!this.file) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.file = createWriteStream(this.path, { flags: 'a' });
      // A log that cannot be written (a full disk) loses its lines; it never stops Warden.
      this.file.on('error', () => undefined);
    }
    this.file.write(text);
  }
}

/** The last lines of a stream's output, from text that arrives in pieces. */
class Tail {
  private readonly kept: string[] = [];
  private partial = '';

  add(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!.slice(0, TAIL_LINE_CHARS);
    for (const line of parts) {
      // A stack frame says where, not why; the error line above the frames says why.
      if (line.trim() === '' || /^\s+at\s/.test(line)) continue;
      this.kept.push(line.trimEnd().slice(0, TAIL_LINE_CHARS));
      if (this.kept.length > TAIL_LINES) this.kept.shift();
    }
  }

  last(count: number): string[] {
    const lines = this.partial.trim() ? [...this.kept, this.partial.trimEnd()] : this.kept;
    return lines.slice(-count);
  }
}
