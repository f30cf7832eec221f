// Child of transport.test.ts, started with NODE_EXTRA_CA_CERTS naming the test certificate: one token and
// one call over https, then what still holds the event loop while the keep-alive connection stays open.
// Prints one JSON object and ends by itself. Loaded any other way (uvu given the whole folder), it does nothing.
import { createPaxosClient } from '../../src/paxos/index.js';

const [apiUrl, oauthUrl] = process.argv.slice(2);
if (process.env.PAXFLOW_HTTPS_CHILD === '1' && apiUrl !== undefined && oauthUrl !== undefined) {
  const client = createPaxosClient({
    target: { name: 'custom', apiUrl, oauthUrl },
    credentials: { clientId: 'tls-client', clientSecret: 'tls-secret' },
    scopes: [],
    retry: { limit: 0 },
  });
  const body = await client.call({ method: 'GET', path: '/x', signal: AbortSignal.timeout(10_000) });
  setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ body, active: process.getActiveResourcesInfo() })}\n`);
  }, 0);
}
