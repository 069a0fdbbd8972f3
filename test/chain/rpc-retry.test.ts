// The devnet RPC client survives a keep-alive connection the node dropped while the client was idle
// (e.g. during an 8 s coldkey decrypt; docs/chain.md, "Coldkey passwords"): the call is retried once on a
// fresh connection, and a node that is really gone is still a clear ChainConnectionError. A node that never
// answers is one too, after the call's time limit (docs/chain.md "RPC client").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { RpcChain } from '../../src/chain/rpc/client.js';
import { ChainConnectionError } from '../../src/chain/errors.js';

test('a request on a dropped keep-alive socket is retried once; a dead node is a ChainConnectionError', async () => {
  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests += 1;
      // The second request arrives on the reused socket: drop it unanswered, as a node that timed the idle
      // connection out does.
      if (requests === 2) { req.socket.destroy(); return; }
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      const result = method === 'chain_info' ? { genesis: 'ab'.repeat(16), block: 5, blockTimeMs: 250 } : 5;
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const chain = await RpcChain.connect(url).catch((e: Error) => { throw new Error(`connect: ${e.message}`); });
    assert.equal(await chain.currentBlock(), 5, 'the dropped request was retried');
    assert.equal(requests, 3);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  await assert.rejects(RpcChain.connect(url), (e: unknown) => e instanceof ChainConnectionError && /cannot reach the devnet node/.test(e.message));
});

test('a node that accepts and never answers (or never finishes its answer) is a ChainConnectionError after the time limit', async () => {
  // one that never answers at all, and one that sends its headers and then nothing
  const held = new Set<import('node:net').Socket>();
  const silent = createTcpServer((sock) => void held.add(sock));
  const stalled = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"jsonrpc":'); });
  for (const server of [silent, stalled]) {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const t0 = Date.now();
    await assert.rejects(RpcChain.connect(url, { timeoutMs: 300 }), (e: unknown) => e instanceof ChainConnectionError && /did not answer chain_info within 0\.3 s/.test(e.message));
    assert.ok(Date.now() - t0 < 5_000, 'refused at the limit, not later');
    if ('closeAllConnections' in server) server.closeAllConnections();
    for (const sock of held) sock.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
