import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashApplicationToken } from '../../core/kyma/index.js';
import { ApplicationRegistry } from './applications.js';

describe('application registry', () => {
  test('bindings: sorted namespaces, unbinding takes effect at once', () => {
    const registry = new ApplicationRegistry();
    registry.bind('commerce', 'b');
    registry.bind('commerce', 'a');
    registry.bind('commerce', 'a');
    assert.deepEqual(registry.namespaces('commerce'), ['a', 'b']);
    registry.unbind('commerce', 'b');
    assert.deepEqual(registry.namespaces('commerce'), ['a']);
    registry.unbind('commerce', 'a');
    assert.deepEqual(registry.namespaces('commerce'), []);
    assert.equal(registry.knows('commerce'), false);
  });

  test('authentication: own token ok, another application token forbidden, anything else unauthorized', () => {
    const registry = new ApplicationRegistry();
    registry.setTokenHash('commerce', hashApplicationToken('t1'));
    registry.setTokenHash('marketing', hashApplicationToken('t2'));
    assert.equal(registry.authenticate('commerce', 't1'), 'ok');
    assert.equal(registry.authenticate('commerce', 't2'), 'forbidden');
    assert.equal(registry.authenticate('unknown', 't2'), 'forbidden');
    assert.equal(registry.authenticate('commerce', 't3'), 'unauthorized');
    assert.equal(registry.authenticate('commerce', ''), 'unauthorized');
    assert.equal(registry.authenticate('commerce', undefined), 'unauthorized');
  });

  test('revoking a token: the old one is unauthorized', () => {
    const registry = new ApplicationRegistry();
    registry.setTokenHash('commerce', hashApplicationToken('old'));
    registry.setTokenHash('commerce', hashApplicationToken('new'));
    assert.equal(registry.authenticate('commerce', 'old'), 'unauthorized');
    assert.equal(registry.authenticate('commerce', 'new'), 'ok');
    registry.setTokenHash('commerce', undefined);
    assert.equal(registry.authenticate('commerce', 'new'), 'unauthorized');
    assert.equal(registry.knows('commerce'), false);
  });
});
