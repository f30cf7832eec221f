/** What was read of a response body: its text, or that it was larger than allowed (the rest was not read). */
export type BodyRead = { text: string; tooLarge?: undefined } | { tooLarge: true; text?: undefined };

/**
 * Reads a response body as UTF-8 text, at most `maxBytes` of it (after decompression): a larger body
 * is cancelled as soon as it passes the limit, so an endless or huge answer costs `maxBytes` of memory,
 * never its own size. `response.text()` would hold all of it.
 */
export const readBodyCapped = async (response: Response, maxBytes: number): Promise<BodyRead> => {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { tooLarge: true };
  }
  if (!response.body) return { text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Each read either ends the stream, adds bytes towards the limit, or fails with the request's signal.
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(next.value);
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)) };
};

/** `2 MiB`, `64 KiB`: a byte limit as a reader would say it. */
export const byteSize = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
