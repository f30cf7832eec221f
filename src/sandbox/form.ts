/** The media type of a Content-Type header, lower-cased, without parameters (`''` when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** One parameter of a Content-Type header, e.g. `boundary`. */
export function headerParameter(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim().toLowerCase() !== name) continue;
    const value = part.slice(index + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  return undefined;
}

/**
 * The text fields of a `multipart/form-data` body (what `curl --form` and `fetch(FormData)` send).
 * File parts are read as text too. Returns `undefined` when the body is not well-formed multipart.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, string> | undefined {
  const boundary = headerParameter(contentType, 'boundary');
  if (!boundary || boundary.length > 200) return undefined;
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const fields = new Map<string, string>();
  let position = text.indexOf(delimiter);
  if (position < 0) return undefined;
  for (;;) {
    position += delimiter.length;
    if (text.startsWith('--', position)) return fields;
    if (!text.startsWith('\r\n', position)) return undefined;
    const headerEnd = text.indexOf('\r\n\r\n', position + 2);
    if (headerEnd < 0) return undefined;
    const next = text.indexOf(`\r\n${delimiter}`, headerEnd + 4);
    if (next < 0) return undefined;
    const name = partName(text.slice(position + 2, headerEnd));
    if (name !== undefined) {
      fields.set(name, Buffer.from(text.slice(headerEnd + 4, next), 'latin1').toString('utf8'));
    }
    position = next + 2;
  }
}

function partName(headers: string): string | undefined {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const match = /;\s*name="([^"]*)"|;\s*name=([^;\s]+)/i.exec(line.slice(colon + 1));
    return match ? (match[1] ?? match[2]) : undefined;
  }
  return undefined;
}
