/**
 * LIKE (CESQL v1 section 3.4.3) and IN (section 3.4.5). Both are compiled with their constant parts done
 * once: the LIKE pattern becomes a matcher, a set of constants becomes a hash set per target type.
 */
import { compileLike } from './like.js';
import { asString, fold, missingAttributeText } from './nodes.js';
import type { Eval, Node } from './nodes.js';
import { castTo, EvaluationState, typeOfValue } from './types.js';
import type { CesqlType, CesqlValue, Site } from './types.js';

/** `x [NOT] LIKE 'pattern'`: x is cast to String; an error makes the result false, also for NOT LIKE. */
export function like(operand: Node, pattern: string, negated: boolean, site: Site): Node {
  const match = compileLike(pattern);
  const name = operand.attribute;
  let evaluate: Eval<boolean>;
  if (name !== undefined) {
    const missing = missingAttributeText(name);
    const at = operand.site;
    evaluate = (a, s) => {
      const v = a[name];
      if (typeof v === 'string') return match(v) !== negated;
      if (v === undefined) {
        s.fail('missingAttribute', missing, at);
        return false;
      }
      return match(String(v)) !== negated;
    };
  } else {
    const f = asString(operand);
    evaluate = (a, s) => {
      const text = f(a, s);
      return !s.failed && match(text) !== negated;
    };
  }
  return fold({ type: 'Boolean', site, evaluate }, [operand]);
}

/**
 * `x [NOT] IN (y1, ...)`: section 3.7 casts every element to the type of x (the special rule for IN), then
 * compares as `=` does. All elements are cast, so an element that cannot be cast is an error whether or not
 * another element matches.
 */
export function inSet(operand: Node, set: readonly Node[], negated: boolean, site: Site): Node {
  const constants = set.every((element) => element.constant !== undefined)
    ? set.map((element) => element.constant!.value)
    : undefined;
  const generic = genericIn(operand, set, negated);
  let evaluate = generic;
  if (constants !== undefined && operand.type !== 'Any') {
    const members = membersOf(operand.type, constants, set);
    if (members !== undefined) {
      const f = operand.evaluate;
      evaluate = (a, s) => {
        const x = f(a, s);
        return !s.failed && members.has(x) !== negated;
      };
    }
  } else if (constants !== undefined && operand.attribute !== undefined) {
    const name = operand.attribute;
    const missing = missingAttributeText(name);
    const at = operand.site;
    const strings = membersOf('String', constants, set);
    const integers = membersOf('Integer', constants, set);
    const booleans = membersOf('Boolean', constants, set);
    evaluate = (a, s) => {
      const v = a[name];
      if (v === undefined) {
        s.fail('missingAttribute', missing, at);
        return false;
      }
      const members = typeof v === 'string' ? strings : typeof v === 'number' ? integers : booleans;
      // No member set for this type means an element cannot be cast: the generic path reports it.
      return members === undefined ? generic(a, s) : members.has(v) !== negated;
    };
  }
  return fold({ type: 'Boolean', site, evaluate }, [operand, ...set]);
}

/** The constants cast to `type`, or undefined when one of them cannot be. */
function membersOf(
  type: CesqlType,
  constants: readonly CesqlValue[],
  set: readonly Node[],
): Set<CesqlValue> | undefined {
  const state = new EvaluationState();
  const members = new Set(constants.map((value, i) => castTo(type, value, state, set[i]!.site)));
  return state.failed ? undefined : members;
}

function genericIn(operand: Node, set: readonly Node[], negated: boolean): Eval<boolean> {
  const f = operand.evaluate;
  const elements = set.map((element) => element.evaluate);
  const sites = set.map((element) => element.site);
  return (a, s) => {
    const x = f(a, s);
    if (s.failed) return false;
    const type = typeOfValue(x);
    let found = false;
    for (let i = 0; i < elements.length; i++) {
      const y = elements[i]!(a, s);
      if (s.failed) return false;
      const cast = typeof y === typeof x ? y : castTo(type, y, s, sites[i]!);
      if (s.failed) return false;
      if (cast === x) found = true;
    }
    return found !== negated;
  };
}
