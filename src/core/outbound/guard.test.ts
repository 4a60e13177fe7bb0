import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrProblem, compileOutboundGuard, isLoopbackHost } from './guard.js';

const own = [
  { host: '127.0.0.1', port: 8081 },
  { host: '127.0.0.1', port: 8090 },
];
const local = compileOutboundGuard({ allowPrivate: true, allow: [], ownListeners: own });
const exposed = compileOutboundGuard({
  allowPrivate: false,
  allow: ['10.1.0.0/16', 'fd12::/16'],
  ownListeners: [
    { host: '0.0.0.0', port: 8081 },
    { host: '0.0.0.0', port: 8090 },
  ],
});

const rows: [
  name: string,
  guard: typeof local,
  address: string,
  port: number,
  refused: RegExp | undefined,
][] = [
  ['metadata', local, '169.254.169.254', 80, /link-local, metadata/],
  ['link-local v6', local, 'fe80::1', 80, /link-local/],
  ['mapped metadata', local, '::ffff:169.254.169.254', 80, /link-local/],
  ['unspecified', local, '0.0.0.0', 80, /unspecified/],
  ['alibaba metadata', local, '100.100.100.200', 80, /metadata/],
  ['own admin on loopback', local, '127.0.0.1', 8081, /own listeners/],
  ['own gateway via other loopback', local, '127.0.0.2', 8090, /own listeners/],
  ['loopback subscriber while local', local, '127.0.0.1', 9000, undefined],
  ['private subscriber while local', local, '192.168.1.5', 80, undefined],
  ['public', local, '93.184.216.34', 443, undefined],
  [
    'loopback while exposed',
    exposed,
    '127.0.0.1',
    9000,
    /loopback address and cemesh listens beyond loopback/,
  ],
  ['private while exposed', exposed, '10.2.0.1', 80, /private address/],
  ['allowed private while exposed', exposed, '10.1.2.3', 80, undefined],
  ['allowed v6 while exposed', exposed, 'fd12::5', 80, undefined],
  ['own admin on any address', exposed, '10.1.2.3', 8081, /own listeners/],
  ['public while exposed', exposed, '93.184.216.34', 80, undefined],
];

for (const [name, guard, address, port, refused] of rows) {
  test(`outbound ${name}: ${address}:${port} is ${refused ? 'refused' : 'allowed'}`, () => {
    const refusal = guard.refusal(address, port);
    if (refused === undefined) assert.equal(refusal, undefined);
    else assert.match(refusal ?? '', refused);
  });
}

test('CIDRs and loopback hosts', () => {
  assert.equal(cidrProblem('10.0.0.0/8'), undefined);
  assert.equal(cidrProblem('fd00::/8'), undefined);
  assert.equal(cidrProblem('10.0.0.1'), undefined);
  assert.match(cidrProblem('10.0.0.0/33') ?? '', /prefix/);
  assert.match(cidrProblem('example.com/8') ?? '', /not an IP address/);
  assert.equal(isLoopbackHost('127.0.0.1'), true);
  assert.equal(isLoopbackHost('::1'), true);
  assert.equal(isLoopbackHost('localhost'), true);
  assert.equal(isLoopbackHost('0.0.0.0'), false);
  assert.equal(isLoopbackHost('192.168.1.2'), false);
});
