/**
 * Largest and smallest of a list without spreading it into arguments: `Math.max(...list)` overflows
 * the call stack past ~100 000 values (a 75-minute layer has 135 000 frames).
 */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let out = empty;
  let any = false;
  for (const v of values) {
    out = any ? (v > out ? v : out) : v;
    any = true;
  }
  return any ? out : empty;
}

export function minOf(values: Iterable<number>, empty = Infinity): number {
  let out = empty;
  let any = false;
  for (const v of values) {
    out = any ? (v < out ? v : out) : v;
    any = true;
  }
  return any ? out : empty;
}
