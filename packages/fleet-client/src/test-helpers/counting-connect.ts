/**
 * A `connect` option for transport tests: opens a real loopback connection (TCP or unix socket)
 * and hands back a plain Duplex in front of it (no net.Socket methods, like an SSH channel),
 * recording every connection and every HTTP request line that goes through.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { ConnectTarget } from '../transport-connect.js';

/** A Duplex that forwards to a socket and records the request lines written through it. */
class ProxyDuplex extends Duplex {
  readonly #socket: net.Socket;
  readonly #lines: string[];

  constructor(socket: net.Socket, lines: string[]) {
    super();
    this.#socket = socket;
    this.#lines = lines;
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const match of chunk.toString('latin1').matchAll(/^(GET|PUT|DELETE|PATCH) (\S+) HTTP\/1\.1\r$/gm)) {
      this.#lines.push(`${match[1]} ${match[2]}`);
    }
    this.#socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }
}

export interface CountingConnect {
  /** The `connect` option. */
  connect(target: ConnectTarget): Promise<Duplex>;
  /** Every target `connect` was called with (one per new connection). */
  targets: ConnectTarget[];
  /** Request lines (`GET /fleet/v1/units?…`) sent through the returned streams, in order. */
  lines: string[];
}

/**
 * Connects to `to` (a TCP port on 127.0.0.1 or a unix socket path), whatever the target says,
 * resolving once the socket is connected.
 */
export function countingConnect(to: { port: number } | { path: string }): CountingConnect {
  const targets: ConnectTarget[] = [];
  const lines: string[] = [];
  return {
    targets,
    lines,
    connect(target) {
      targets.push(target);
      return new Promise((resolve, reject) => {
        const socket =
          'port' in to ? net.connect({ host: '127.0.0.1', port: to.port }) : net.connect({ path: to.path });
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(new ProxyDuplex(socket, lines));
        });
        socket.once('error', reject);
      });
    },
  };
}
