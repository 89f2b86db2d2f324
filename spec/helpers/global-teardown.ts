// jest global teardown: removes the certificates folder of spec/helpers/global-setup.ts.
import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const dir = process.env.TSYNCIO_CERTS;
  if (dir !== undefined && dir.includes('tsyncio-certs-')) rmSync(dir, { recursive: true, force: true });
}
