// Test certificates made with the `openssl` command line (never checked-in private keys): an EC
// P-256 CA, a `localhost` leaf it signs (SANs DNS:localhost, IP:127.0.0.1, IP:::1), a self-signed
// `localhost` leaf and a client certificate. jest's global setup makes them once per run
// (spec/helpers/global-setup.ts) and passes the folder in TSYNCIO_CERTS; a spec run without it
// (one file, another config) makes its own folder the first time `certs()` is called.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Paths of the test certificates and keys (PEM). */
export interface Certs {
  dir: string;
  /** The CA's certificate (trust it to verify `leaf` and `client`). */
  ca: string;
  /** `localhost` signed by the CA, and its key. */
  leaf: string;
  leafKey: string;
  /** `localhost`, self-signed, and its key. */
  selfSigned: string;
  selfSignedKey: string;
  /** A client certificate (CN=client) signed by the CA, and its key. */
  client: string;
  clientKey: string;
}

function paths(dir: string): Certs {
  const p = (f: string): string => path.join(dir, f);
  return {
    dir, ca: p('ca.pem'), leaf: p('leaf.pem'), leafKey: p('leaf.key'), selfSigned: p('self.pem'), selfSignedKey: p('self.key'),
    client: p('client.pem'), clientKey: p('client.key'),
  };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes every certificate in `dir` (about 50 ms with OpenSSL 3). */
export function makeCerts(dir: string): Certs {
  const c = paths(dir);
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1';
  writeFileSync(path.join(dir, 'leaf.ext'), `${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n`);
  writeFileSync(path.join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n');
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/O=tsyncio tests/CN=tsyncio test CA']);
  openssl(dir, ['req', '-new', ...EC, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1001', '-days', '3650', '-extfile', 'leaf.ext', '-out', 'leaf.pem']);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'self.key', '-out', 'self.pem', '-days', '3650', '-subj', '/CN=localhost', '-addext', san]);
  openssl(dir, ['req', '-new', ...EC, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=client']);
  openssl(dir, ['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1002', '-days', '3650', '-extfile', 'client.ext', '-out', 'client.pem']);
  return c;
}

let cached: Certs | null = null;

/** The test certificates of this run (made on first use when the global setup did not). */
export function certs(): Certs {
  if (cached !== null) return cached;
  const env = process.env.TSYNCIO_CERTS;
  if (env !== undefined && existsSync(path.join(env, 'client.pem'))) {
    cached = paths(env);
    return cached;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tsyncio-certs-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cached = makeCerts(dir);
  return cached;
}
