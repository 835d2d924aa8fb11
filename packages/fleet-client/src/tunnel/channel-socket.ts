/**
 * An SSH channel as a stream an http.Agent can rely on. ssh2's channels do not behave like
 * sockets when the connection under them dies: `destroy()` only sends CLOSE, and a write on a
 * channel that is no longer open never calls back, so a kept-alive request on it would hang
 * forever (no error, no timeout). This wrapper is an ordinary Duplex: it ends when the channel
 * ends, is destroyed when it closes, fails a write on a channel that is not open with ECONNRESET,
 * and `reset()` destroys it the same way when the tunnel sees its SSH connection drop.
 */
import { Duplex } from 'node:stream';
import type ssh2 from 'ssh2';

function connectionReset(what: string): Error {
  return Object.assign(new Error(`${what} (ECONNRESET)`), { code: 'ECONNRESET' });
}

export class ChannelSocket extends Duplex {
  readonly #channel: ssh2.ClientChannel;

  constructor(channel: ssh2.ClientChannel) {
    super({ allowHalfOpen: false });
    this.#channel = channel;
    channel.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) channel.pause();
    });
    channel.on('end', () => this.push(null));
    channel.on('close', () => this.destroy());
    channel.on('error', (error: Error) => this.destroy(error));
  }

  /** The SSH connection dropped: fail whatever is in flight on this channel. */
  reset(): void {
    this.destroy(connectionReset('the SSH connection dropped'));
  }

  override _read(): void {
    this.#channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if ((this.#channel as { outgoing?: { state?: string } }).outgoing?.state !== 'open') {
      done(connectionReset('the SSH channel is closed'));
      return;
    }
    this.#channel.write(chunk, (error?: Error | null) => done(error));
  }

  override _final(done: (error?: Error | null) => void): void {
    this.#channel.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.#channel.close();
    done(error);
  }
}
