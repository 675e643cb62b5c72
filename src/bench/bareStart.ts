import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The start-up yardstick: the smallest server Node can start (node:http, no dependencies), printing
 * its origin the way the CLI prints its token URL, so both are timed from spawn to a 200 on /healthz.
 */
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('ok');
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stderr.write(`  Token URL     http://127.0.0.1:${port}/oauth2/token\n`);
});
