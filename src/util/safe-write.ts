/** Something text is written to: a terminal, a pipe, a test's buffer. */
export interface TextWriter {
  write(text: string): void;
  isTTY?: boolean;
}

/** A Node stream such as `process.stdout`: written to, and reporting a failed write as an `'error'` event. */
export interface TextStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  isTTY?: boolean;
}

/**
 * A writer whose failures are dropped, never thrown: once a write fails (the reader of a pipe went
 * away, the terminal closed), later output is dropped too. Output is a side effect of the work; a run
 * that moves money must go on to its end, its journal and its report files, when nobody reads it.
 */
export const guardWriter = (writer: TextWriter, closed: { value: boolean } = { value: false }): TextWriter => ({
  write(text) {
    if (closed.value) return;
    try {
      writer.write(text);
    } catch {
      closed.value = true;
    }
  },
  ...(writer.isTTY === undefined ? {} : { isTTY: writer.isTTY }),
});

/**
 * {@link guardWriter} for a Node stream, which also listens for the stream's `'error'` event: a closed
 * pipe's `EPIPE` arrives as one, and with no listener Node throws it, ending the process mid-run.
 */
export const streamWriter = (stream: TextStream): TextWriter => {
  const closed = { value: false };
  stream.on('error', () => {
    closed.value = true;
  });
  return guardWriter({ write: (text) => void stream.write(text), ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }) }, closed);
};
