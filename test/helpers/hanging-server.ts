/** A loopback HTTP server that accepts every request and never answers: a hung Linear, Slack or ClickHouse. */
import { createServer, type Server, type ServerResponse } from 'node:http';

export interface HangingServer {
  url: string;
  /** Requests received so far, and how many are still held open. */
  received(): number;
  open(): number;
  close(): Promise<void>;
}

export async function startHangingServer(): Promise<HangingServer> {
  const held = new Set<ServerResponse>();
  let received = 0;
  const server: Server = createServer((req, res) => {
    received++;
    held.add(res);
    res.on('close', () => held.delete(res)); // the client gave up (or the server closed)
    req.resume(); // read the body, answer nothing
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    open: () => held.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
