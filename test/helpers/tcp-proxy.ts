import { createServer, connect, type Socket, type AddressInfo } from 'node:net';

/** A loopback TCP proxy that can drop every connection once a given number of bytes went upstream. */
export interface TcpProxy {
  readonly port: number;
  /** Cut all connections once `bytes` more bytes have been forwarded client → server. */
  cutAfter(bytes: number): void;
  close(): Promise<void>;
}

export const startTcpProxy = async (targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> => {
  const sockets = new Set<Socket>();
  let budget = Infinity;
  const cutAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d: Buffer) => {
      budget -= d.length;
      if (budget <= 0) {
        budget = Infinity;
        cutAll();
        return;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cutAfter(bytes) {
      budget = bytes;
    },
    close: () =>
      new Promise((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
};
