import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP proxy in front of the emulator that remembers every secret and personal value it carried. */
export interface EchoProxy {
  apiUrl: string;
  oauthUrl: string;
  /** Every access_token the token endpoint issued. */
  tokens: string[];
  /** Every request body sent to the API, parsed. */
  bodies: unknown[];
  /** Answers requests matching `path` (method and path) with a 400 Problem that echoes the body and the Authorization header. */
  echo400(path: RegExp): void;
  close(): Promise<void>;
}

const readBody = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const startEchoProxy = async (upstreamUrl: string): Promise<EchoProxy> => {
  const upstream = new URL(upstreamUrl);
  const tokens: string[] = [];
  const bodies: unknown[] = [];
  const echoes: RegExp[] = [];

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const text = body.toString('utf8');
      const line = `${request.method} ${request.url}`;
      if (request.url?.startsWith('/v2/') && text !== '') bodies.push(parse(text));
      if (echoes.some((path) => path.test(line))) {
        // What a careless server does: the request's personal data and credentials, back in the error.
        const sent = parse(text) as { person_details?: Record<string, unknown> } | undefined;
        const person = sent?.person_details ?? {};
        const digits = String(person.cip_id ?? '').replace(/-/g, '');
        const problem = {
          type: 'https://developer.paxos.com/docs/v2/problems/bad-request',
          title: `rejected ${digits}`,
          status: 400,
          detail: `cip_id=${String(person.cip_id)} email ${String(person.email)} born ${String(person.date_of_birth)} auth ${request.headers.authorization} body ${text}`,
          meta: { echo: sent, authorization: request.headers.authorization },
        };
        response.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problem));
        return;
      }
      const headers = { ...request.headers, host: upstream.host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const forwarded = httpRequest(
          { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent: false },
          (res) => void readBody(res).then((data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }), reject),
        );
        forwarded.on('error', reject);
        forwarded.end(body);
      });
      if (request.url?.startsWith('/oauth2/token')) {
        const token = (parse(answer.body.toString('utf8')) as { access_token?: unknown } | undefined)?.access_token;
        if (typeof token === 'string') tokens.push(token);
      }
      const out = { ...answer.headers };
      delete out['transfer-encoding'];
      delete out.connection;
      response.writeHead(answer.status, out as Record<string, string>).end(answer.body);
    })().catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${url}/v2`,
    oauthUrl: `${url}/oauth2/token`,
    tokens,
    bodies,
    echo400: (path) => void echoes.push(path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
