import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isFleetError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import { countingConnect } from './test-helpers/counting-connect.js';
import { type LocalServer, sendFleetJson, startHttpsServer } from './test-helpers/local-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';
import { createTestPki, findOpenssl, type TestPki } from './test-helpers/tls-certs.js';

const openssl = findOpenssl();

let pki: TestPki;
let server: LocalServer;
const clientNames: string[] = [];

beforeAll(async () => {
  if (openssl === undefined) return;
  pki = createTestPki(openssl);
  server = await startHttpsServer(
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      clientNames.push(String(peer.subject?.CN));
      sendFleetJson(res, 200, { machines: [{ id: 'm1' }] });
    },
    {
      key: pki.pem.serverKey,
      cert: pki.pem.serverCert,
      ca: pki.pem.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
  );
});
afterAll(async () => {
  await server?.close();
  pki?.remove();
});

const clients: { close(): void }[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function client(extra: Parameters<typeof createFleetClient>[0]) {
  const attempts: number[] = [];
  const api = createFleetClient({
    endpoint: server.endpoint,
    clock: new RecordingClock(),
    retry: { limit: 2, initialDelay: 1 },
    onRequest: (info) => attempts.push(info.attempt),
    ...extra,
  });
  clients.push(api);
  return { api, attempts };
}

// Certificates are made with openssl at test time; without an openssl binary these tests are skipped.
describe.skipIf(openssl === undefined)(
  'TLS transport (real https server requiring a client certificate)',
  () => {
    it('presents the client certificate and verifies the server against caFile', async () => {
      const { api } = client({
        caFile: pki.files.ca,
        certFile: pki.files.clientCert,
        keyFile: pki.files.clientKey,
      });
      await expect(api.listMachines()).resolves.toEqual([{ id: 'm1' }]);
      expect(clientNames.at(-1)).toBe('fs-client');
    });

    it('accepts the same material as PEM buffers', async () => {
      const { api } = client({ ca: pki.pem.ca, cert: pki.pem.clientCert, key: pki.pem.clientKey });
      await expect(api.listMachines()).resolves.toEqual([{ id: 'm1' }]);
    });

    it('a server certificate from another CA is rejected with a clear, non-retried error', async () => {
      const { api, attempts } = client({
        caFile: pki.files.otherCa,
        certFile: pki.files.clientCert,
        keyFile: pki.files.clientKey,
      });
      const error = await api.listMachines().catch((e: unknown) => e);
      expect(isFleetError(error, 'ERR_FLEET_UNREACHABLE')).toBe(true);
      expect(error).toMatchObject({ transient: false });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^GET /fleet/v1/machines failed: TLS with ${server.endpoint} failed: self-signed certificate in certificate chain \\(SELF_SIGNED_CERT_IN_CHAIN\\); check caFile, certFile and keyFile$`,
        ),
      );
      expect(attempts).toEqual([1]);
    });

    it('with the connect option, TLS runs over the stream connect() returns (server verified, client certificate sent)', async () => {
      const via = countingConnect({ port: Number(new URL(server.endpoint).port) });
      const { api } = client({
        connect: via.connect,
        ca: pki.pem.ca,
        cert: pki.pem.clientCert,
        key: pki.pem.clientKey,
      });
      await expect(api.listMachines()).resolves.toEqual([{ id: 'm1' }]);
      expect(clientNames.at(-1)).toBe('fs-client');
      expect(via.targets).toMatchObject([{ kind: 'tcp', host: '127.0.0.1', tls: true }]);
      expect(via.lines).toEqual([]); // only ciphertext went through the stream

      const wrongCa = countingConnect({ port: Number(new URL(server.endpoint).port) });
      const { api: refused } = client({ connect: wrongCa.connect, ca: pki.pem.otherCa });
      await expect(refused.listMachines()).rejects.toMatchObject({
        code: 'ERR_FLEET_UNREACHABLE',
        reason: 'SELF_SIGNED_CERT_IN_CHAIN',
      });
    });

    it('without a client certificate the server refuses the connection', async () => {
      const { api } = client({ caFile: pki.files.ca });
      const error = await api.listMachines().catch((e: unknown) => e);
      expect(isFleetError(error)).toBe(true);
      expect((error as { code: string }).code).toMatch(/^ERR_FLEET_(UNREACHABLE|BAD_RESPONSE)$/);
      // Usually the TLS 1.3 alert arrives before the request is written; then the message names it.
      if ((error as { reason?: string }).reason === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
        expect((error as Error).message).toContain('failed: tlsv13 alert certificate required');
      }
    });
  },
);
