/**
 * Test PKI made with /usr/bin/openssl in a temp dir: a CA, a server certificate for 127.0.0.1 and
 * a client certificate signed by it, plus an unrelated CA (for "wrong CA" tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  /** File paths. */
  files: {
    ca: string;
    otherCa: string;
    serverCert: string;
    serverKey: string;
    clientCert: string;
    clientKey: string;
  };
  /** PEM contents of the same files. */
  pem: {
    ca: Buffer;
    otherCa: Buffer;
    serverCert: Buffer;
    serverKey: Buffer;
    clientCert: Buffer;
    clientKey: Buffer;
  };
  remove(): void;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** The openssl binary: /usr/bin/openssl, else the one on PATH, else `undefined` (TLS tests then skip). */
export function findOpenssl(): string | undefined {
  for (const candidate of ['/usr/bin/openssl', 'openssl']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'pipe' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export function createTestPki(opensslPath = findOpenssl() ?? '/usr/bin/openssl'): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-client-pki-'));
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync(opensslPath, args, { cwd: dir, stdio: 'pipe' });

  for (const ca of ['ca', 'other-ca']) {
    openssl(
      'req',
      '-x509',
      ...KEY,
      '-keyout',
      f(`${ca}.key`),
      '-out',
      f(`${ca}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=${ca}`,
    );
  }
  const leaf = (name: string, subject: string, ext: string) => {
    writeFileSync(f(`${name}.ext`), ext);
    openssl('req', ...KEY, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subject);
    openssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      f(`${name}.ext`),
    );
  };
  leaf('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', '/CN=fs-client', 'extendedKeyUsage=clientAuth\n');

  const files = {
    ca: f('ca.crt'),
    otherCa: f('other-ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
  };
  const pem = Object.fromEntries(
    Object.entries(files).map(([key, file]) => [key, readFileSync(file)]),
  ) as TestPki['pem'];
  return { dir, files, pem, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
