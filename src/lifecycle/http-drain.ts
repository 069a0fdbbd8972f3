/**
 * Graceful stop of an HTTP server that a client cannot hold up (docs/network.md, "Stopping"). Node's
 * `server.close()` (and fastify's `close()` on top of it) waits for every open connection: one client that
 * sends its headers and never finishes its body, or a keep-alive connection whose last answer went out after
 * the stop began, keeps it waiting until the process is killed. On stop, `closeUnfinished()` destroys every
 * connection that has no request whose body has fully arrived; requests whose body is in are answered, and
 * each connection is ended as soon as its answer is out.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpDrain {
  /** Start the stop: drop every connection not answering a complete request; end the others once answered. */
  closeUnfinished(): void;
}

export function trackConnections(server: Server): HttpDrain {
  const sockets = new Set<Socket>();
  /** The request being answered on each connection (none: idle, half-sent headers, or upgraded). */
  const answering = new Map<Socket, IncomingMessage>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      answering.delete(socket);
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    answering.set(socket, req);
    res.once('finish', () => {
      if (answering.get(socket) === req) answering.delete(socket);
      // Once stopping, a connection's last answer is its last: do not leave it open for keep-alive.
      if (closing && !answering.has(socket)) socket.end(() => socket.destroy());
    });
    res.once('close', () => { if (answering.get(socket) === req) answering.delete(socket); });
  });
  return {
    closeUnfinished() {
      closing = true;
      for (const socket of sockets) {
        const req = answering.get(socket);
        if (!req || !req.complete) socket.destroy();
      }
    },
  };
}
