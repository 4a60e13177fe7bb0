/**
 * `cemesh serve`: declares the server's flags (ARCHITECTURE 2.1) and hands their raw values to the server,
 * each flag falling back to its `CEMESH_<FLAG>` variable. Parsing and defaults belong to the server's config.
 */
import { Option, type Command } from 'commander';
import { envName } from '../../core/settings.js';
import type { Context } from '../context.js';

const flags: readonly [flag: string, key: string, description: string][] = [
  ['--host <host>', 'host', 'address to listen on (default 127.0.0.1)'],
  ['--port <port>', 'port', 'broker ingress port (default 8080; 0 picks a free port)'],
  ['--admin-port <port>', 'adminPort', 'API, console and metrics port (default 8081)'],
  ['--gateway-port <port>', 'gatewayPort', 'application gateway port (default 8090)'],
  ['--data-dir <dir>', 'dataDir', 'where durable state and admin.token live (default ./.cemesh)'],
  ['--backend <backend>', 'backend', 'default persistence: memory, embedded or jetstream (default embedded)'],
  ['--nats <urls>', 'nats', 'NATS server URL(s) for the jetstream backend'],
  [
    '--retention <duration>',
    'retention',
    'how long delivered events stay for replay, ISO-8601 (default PT24H)',
  ],
  [
    '--drain-timeout <duration>',
    'drainTimeout',
    'on SIGTERM (and when a broker is migrated), how long in-flight deliveries may finish, ISO-8601 (default PT10S)',
  ],
  [
    '--max-store-bytes <bytes>',
    'maxStoreBytes',
    'size limit of the embedded store; over it ingress answers 507 (default 1 GiB)',
  ],
  [
    '--memory-max-events <n>',
    'memoryMaxEvents',
    'memory backend: undelivered events held in all brokers; over it ingress answers 503 (default 500000)',
  ],
  [
    '--memory-max-bytes <bytes>',
    'memoryMaxBytes',
    'memory backend: bytes of undelivered events in all brokers (default 1 GiB)',
  ],
  [
    '--memory-broker-max-events <n>',
    'memoryBrokerMaxEvents',
    'memory backend: undelivered events held per broker (default 100000)',
  ],
  [
    '--memory-broker-max-bytes <bytes>',
    'memoryBrokerMaxBytes',
    'memory backend: bytes of undelivered events per broker (default 256 MiB)',
  ],
  ['--log-level <level>', 'logLevel', 'trace, debug, info, warn, error (default info)'],
  [
    '--nats-replicas <n>',
    'natsReplicas',
    'jetstream: replicas of each stream and of the resources bucket (default 1)',
  ],
  ['--nats-creds <file>', 'natsCreds', 'jetstream: a NATS .creds file (user:password go in the URL)'],
  ['--nats-tls-ca <file>', 'natsTlsCa', 'jetstream: CA certificate for tls:// NATS URLs'],
  [
    '--admin-token <token>',
    'adminToken',
    'use this admin token instead of a generated one (replicas share one)',
  ],
  [
    '--advertise-url <url>',
    'advertiseUrl',
    'ingress URL brokers publish in status.address, e.g. a load balancer before replicas (default: the listen address)',
  ],
  [
    '--headers-timeout <duration>',
    'headersTimeout',
    'every listener: time to send request headers (default PT10S)',
  ],
  [
    '--request-timeout <duration>',
    'requestTimeout',
    'every listener: time to send a whole request (default PT30S)',
  ],
  [
    '--keep-alive-timeout <duration>',
    'keepAliveTimeout',
    'every listener: how long an idle connection stays open (default PT65S)',
  ],
  ['--max-connections <n>', 'maxConnections', 'every listener: open connections in total (default 4096)'],
  [
    '--max-connections-per-client <n>',
    'maxConnectionsPerClient',
    'every listener: open connections from one client address (default 512)',
  ],
  ['--max-header-bytes <n>', 'maxHeaderBytes', 'every listener: largest request head (default 16384)'],
  ['--tls-cert <file>', 'tlsCert', 'PEM certificate: every listener serves HTTPS (reloaded when it changes)'],
  ['--tls-key <file>', 'tlsKey', 'PEM private key of --tls-cert'],
  [
    '--subscriber-allow <cidr...>',
    'subscriberAllow',
    'private or loopback CIDRs subscribers may be in when listening beyond loopback (repeatable)',
  ],
  [
    '--admin-host <names>',
    'adminHosts',
    'more host names the admin API answers to, comma-separated; * for any (default: IPs, localhost, this machine)',
  ],
  ['--config <file>', 'config', 'YAML file of these settings, plus resources to apply at start'],
];

export function registerServe(program: Command, context: Context): void {
  const command = program
    .command('serve')
    .description('run cemesh: ingress, gateway, control plane, all in this process');
  for (const [flag, key, description] of flags) {
    command.addOption(new Option(flag, `${description} [env ${envName(key)}]`));
  }
  command.action(async (options: Record<string, unknown>) => {
    const values: Record<string, unknown> = {};
    for (const [, key] of flags) {
      const value = options[key] ?? context.env[envName(key)];
      if (value !== undefined) values[key] = value;
    }
    await context.hooks.serve(values);
  });
}
