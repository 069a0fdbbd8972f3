// A command's result lines written straight to file descriptors 1 and 2 (docs/network.md "CLI start-up", round 10).
// process.stdout / process.stderr are created on first use: on a pipe that builds a net.Socket with Node's stream
// machinery (internal modules compiled lazily, a handle kept until exit), which a one-shot `zkinfer prove` pays for
// four lines. Here the lines go out with a synchronous write(2); the streams are still used when they hold queued
// output (order is kept) or when the descriptor is non-blocking and full (EAGAIN), and runOneShot flushes only the
// streams something actually created.
import { writeSync } from 'node:fs';

type Fd = 1 | 2;
const NAMES = { 1: 'stdout', 2: 'stderr' } as const;

/** The streams created so far (or undefined: not created, as far as this module can tell). */
const created: Partial<Record<Fd, NodeJS.WriteStream>> = {};

/**
 * Watch process.stdout / process.stderr: Node defines them as lazy getters; each is wrapped so that its first use is
 * recorded. A stream whose property is no longer a getter counts as created.
 */
function watch(fd: Fd): void {
  const name = NAMES[fd];
  const d = Object.getOwnPropertyDescriptor(process, name);
  const get = d?.get;
  if (!d || !get || !d.configurable) {
    created[fd] = process[name];
    return;
  }
  Object.defineProperty(process, name, { configurable: true, enumerable: d.enumerable, get: () => (created[fd] ??= get.call(process) as NodeJS.WriteStream) });
}
watch(1);
watch(2);

/** The standard streams that exist in this process (for flushing before process.exit()), without creating any. */
export const createdStdio = (): NodeJS.WriteStream[] => [created[1], created[2]].filter((s): s is NodeJS.WriteStream => s !== undefined);

/**
 * Write `text` to fd 1 or 2 synchronously. Behind output the stream still holds, and on EAGAIN (a non-blocking pipe
 * that is full) the rest goes through the stream. Any other write error (a reader that has gone: EPIPE; a full disk)
 * drops the text, as the stream does for these (the command's exit code stays its own).
 */
export function writeFd(fd: Fd, text: string): void {
  const stream = created[fd];
  if (stream !== undefined && stream.writableLength > 0) {
    stream.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') process[NAMES[fd]].write(bytes.subarray(off));
      return;
    }
  }
}

/** console.log's line, written with writeFd to stdout. */
export const printLine = (line: string): void => writeFd(1, `${line}\n`);
