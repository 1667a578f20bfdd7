import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linesTo, pipeSink } from '../../../src/main/cli/io.js';

/** A stdout whose reader can go away, as `warden … | head -1` does to it. */
class Pipe extends EventEmitter {
  written: string[] = [];
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
  close(code: string): void {
    this.emit('error', Object.assign(new Error(`write ${code}`), { code }));
  }
}

describe('the CLI on a pipe', () => {
  it('writes nothing more, and goes on, once the reader has closed the pipe (EPIPE)', () => {
    const out = new Pipe();
    const io = linesTo(pipeSink(out), pipeSink(new Pipe()));
    io.out('first');
    expect(() => out.close('EPIPE')).not.toThrow();
    io.out('second');
    expect(out.written).toEqual(['first\n']);
  });

  it('still fails loudly on any other write error', () => {
    const out = new Pipe();
    pipeSink(out);
    expect(() => out.close('ENOSPC')).toThrow(/ENOSPC/);
  });
});
