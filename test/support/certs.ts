/** A throwaway certificate authority for tests (openssl): a CA, and certificates it signs for servers or clients. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Issued {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA named `name` in `dir`. */
export function makeCa(dir: string, name: string): Issued {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  openssl([
    'req',
    '-x509',
    ...EC,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** A certificate for `cn` signed by `ca`; `san` like `IP:127.0.0.1` for servers. */
export function issue(dir: string, ca: Issued, cn: string, san?: string): Issued {
  const certFile = join(dir, `${cn}.crt`);
  const keyFile = join(dir, `${cn}.key`);
  const csr = join(dir, `${cn}.csr`);
  openssl(['req', '-new', ...EC, '-subj', `/CN=${cn}`, '-keyout', keyFile, '-out', csr]);
  const args = [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-days',
    '1',
  ];
  if (san !== undefined) {
    const ext = join(dir, `${cn}.ext`);
    writeFileSync(ext, `subjectAltName=${san}\n`);
    args.push('-extfile', ext);
  }
  openssl([...args, '-out', certFile]);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
