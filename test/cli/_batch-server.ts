import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A server on 127.0.0.1 for batch tests: answers every path 200 with what it got, except `/fail/...`
 * (503) and `/hang/...` (never); `/slow/...` answers after 40 ms. It records every request and the most
 * requests it ever held at once.
 */
export const startBatchServer = async () => {
  const seen: Array<{ path: string; body: string }> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      seen.push({ path, body });
      if (path.startsWith('/hang')) return;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const answer = () => {
        inFlight -= 1;
        response.writeHead(path.startsWith('/fail') ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }));
      };
      if (path.startsWith('/slow')) setTimeout(answer, 40);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    get mostInFlight() {
      return mostInFlight;
    },
    reset() {
      seen.length = 0;
      mostInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** A one-step workflow calling `path` on the server (a template may pick the path). */
export const httpWorkflow = (name: string, url: string, extra = ''): string =>
  `version: 1\nname: ${name}\n${extra}steps:\n  - id: call\n    name: Call the server\n    uses: http\n    with: { url: "${url}" }\n`;
