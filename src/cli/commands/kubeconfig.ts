/**
 * `cemesh kubeconfig`: a kubeconfig for kubectl with the admin API as its cluster, the admin token as its
 * user and `default` as its namespace. With `--tls-cert` (the certificate `serve --tls-cert` uses, or the
 * CA that signed it) the cluster is the https URL with that certificate as its CA data; without, kubectl
 * gets the http URL, and a note on stderr says that kubectl sends tokens only over TLS.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import type { Command } from 'commander';
import { yaml } from '../../core/lazy-yaml.js';
import { action, DEFAULT_SERVER, type Context } from '../context.js';

interface KubeconfigOptions {
  output?: string;
  tlsCert?: string;
  insecureSkipTlsVerify?: boolean;
  namespace?: string;
}

export function registerKubeconfig(program: Command, context: Context): void {
  program
    .command('kubeconfig')
    .description('write a kubeconfig for kubectl (the admin API, the admin token, namespace default)')
    .option('--output <file>', 'write to FILE (mode 0600) instead of stdout')
    .option(
      '--tls-cert <file>',
      'PEM certificate (or CA) of the API, embedded as CA data [env CEMESH_TLS_CERT]',
    )
    .option('--insecure-skip-tls-verify', 'https without checking the certificate (no --tls-cert)')
    .option('-n, --namespace <ns>', "the context's namespace", 'default')
    .action(
      action(context, async (_client, options: KubeconfigOptions, command: Command) => {
        const globals = command.optsWithGlobals<{ server?: string; token?: string }>();
        const token = globals.token ?? context.env.CEMESH_TOKEN ?? context.adminToken();
        if (token === undefined)
          throw new Error(
            'no admin token: pass --token, set CEMESH_TOKEN, or run where the server keeps admin.token',
          );
        const certFile = options.tlsCert ?? context.env.CEMESH_TLS_CERT;
        let server = new URL(globals.server ?? context.env.CEMESH_SERVER ?? DEFAULT_SERVER);
        const secure = certFile !== undefined || options.insecureSkipTlsVerify === true;
        if (secure && server.protocol === 'http:') server = new URL(server.href.replace(/^http:/, 'https:'));
        const cluster: Record<string, unknown> = { server: server.href.replace(/\/$/, '') };
        if (certFile !== undefined)
          cluster['certificate-authority-data'] = readFileSync(context.path(certFile)).toString('base64');
        else if (options.insecureSkipTlsVerify === true) cluster['insecure-skip-tls-verify'] = true;
        else
          context.err(
            'note: the API is http here, and kubectl sends a token only over https: start the server with ' +
              '--tls-cert/--tls-key and pass --tls-cert (docs/api.md, kubectl)',
          );
        const text = yaml().stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'cemesh', cluster }],
          users: [{ name: 'cemesh-admin', user: { token } }],
          contexts: [
            {
              name: 'cemesh',
              context: { cluster: 'cemesh', user: 'cemesh-admin', namespace: options.namespace },
            },
          ],
          'current-context': 'cemesh',
        });
        if (options.output === undefined) {
          context.out(text);
          return;
        }
        const file = context.path(options.output);
        writeFileSync(file, text, { mode: 0o600 });
        chmodSync(file, 0o600);
        context.err(`wrote ${file}: KUBECONFIG=${file} kubectl get brokers`);
      }),
    );
}
