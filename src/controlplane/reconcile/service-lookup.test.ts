import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkClusterLocal, clusterLocalService } from './service-lookup.js';

const names: { uri: string; want: { namespace: string; name: string } | undefined }[] = [
  { uri: 'http://svc.team.svc.cluster.local', want: { namespace: 'team', name: 'svc' } },
  { uri: 'http://my-fn.shop.svc.cluster.local:8080/x?y', want: { namespace: 'shop', name: 'my-fn' } },
  { uri: 'http://SVC.Team.svc.cluster.local.', want: { namespace: 'team', name: 'svc' } },
  { uri: 'http://svc.team.svc', want: undefined },
  { uri: 'http://a.b.team.svc.cluster.local', want: undefined },
  { uri: 'http://127.0.0.1:8080/team/default', want: undefined },
  { uri: 'http://sub.example/', want: undefined },
  { uri: 'not a url', want: undefined },
  // What the URL parser turns into a cluster-local host: percent-encoding, a full-width dot, a mixed case.
  { uri: 'http://svc.team.svc%2Ecluster.local/', want: { namespace: 'team', name: 'svc' } },
  { uri: 'http://svc.team.svc\uff0ecluster.local/', want: { namespace: 'team', name: 'svc' } },
  { uri: 'http://svc.team.SVC.Cluster.Local/', want: { namespace: 'team', name: 'svc' } },
  { uri: 'http://svc.team.svc.cluster.localhost/', want: undefined },
];

for (const c of names) {
  test(`clusterLocalService: ${c.uri}`, () => assert.deepEqual(clusterLocalService(c.uri), c.want));
}

const hosted = (namespace: string, name: string): boolean => namespace === 'shop' && name === 'enrich';
const resolver =
  (resolves: string[]) =>
  async (host: string): Promise<string | undefined> =>
    resolves.includes(host) ? undefined : 'ENOTFOUND';

const checks: { name: string; uri: string; resolves: string[]; want: RegExp | true }[] = [
  { name: 'not cluster-local: no lookup', uri: 'http://nowhere.invalid/', resolves: [], want: true },
  { name: 'a hosted Function', uri: 'http://enrich.shop.svc.cluster.local', resolves: [], want: true },
  {
    name: 'a Service whose name resolves',
    uri: 'http://db.ops.svc.cluster.local/in',
    resolves: ['db.ops.svc.cluster.local'],
    want: true,
  },
  {
    name: 'neither',
    uri: 'http://gone.shop.svc.cluster.local',
    resolves: [],
    want: /^ServiceNotFound: Service shop\/gone not found: no Function of that name and gone\.shop\.svc\.cluster\.local does not resolve \(ENOTFOUND\)/,
  },
  {
    name: 'a Function of that name in another namespace does not count',
    uri: 'http://enrich.other.svc.cluster.local',
    resolves: [],
    want: /^ServiceNotFound: Service other\/enrich/,
  },
];

for (const c of checks) {
  test(`checkClusterLocal: ${c.name}`, async () => {
    const got = await checkClusterLocal(c.uri, hosted, resolver(c.resolves));
    if (c.want === true) assert.deepEqual(got, { found: true });
    else {
      assert.equal(got.found, false);
      if (!got.found) assert.match(`${got.reason}: ${got.message}`, c.want);
    }
  });
}
