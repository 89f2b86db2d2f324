// jest global setup: the TLS specs' certificates, made once per run with the `openssl` command
// line (spec/helpers/certs.ts); the folder is passed to the workers in TSYNCIO_CERTS and removed
// by spec/helpers/global-teardown.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeCerts } from './certs';

export default function globalSetup(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsyncio-certs-'));
  try {
    makeCerts(dir);
    process.env.TSYNCIO_CERTS = dir;
  } catch (e) {
    // No openssl: the TLS specs say so when they start.
    process.stderr.write(`could not make the TLS test certificates: ${(e as Error).message}\n`);
  }
}
