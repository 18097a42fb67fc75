/**
 * Matching JianYing effect names (transitions, animations) against a table: writers differ in
 * spaces, width and numerals (`闪白 II`, `闪白Ⅱ`, `闪白II`), and JianYing numbers variants of one
 * effect with a Roman numeral; an unlisted variant is drawn like its base name.
 */

/** Canonical spelling: NFKC (full-width forms, Ⅱ → II), no spaces or separators, lower case. */
export function normalizeEffectName(name: string): string {
  return name.normalize('NFKC').replace(/[\s_\-·.]+/g, '').toLowerCase();
}

/** `信号故障ii` → `信号故障`; null when the name carries no numeral after a CJK character. */
export function baseEffectName(normalized: string): string | null {
  const m = /^(.*[^\x00-\x7f])(?:iv|vi{0,3}|i{1,3})$/.exec(normalized);
  return m ? m[1] : null;
}

export interface NameMatch<T> {
  spec: T;
  /** Set when only the base name of a numbered variant matched. */
  variantOf?: string;
}

/** A lookup function over a name table. */
export function nameLookup<T>(table: Record<string, T>): (name: string) => NameMatch<T> | null {
  const byNormal = new Map(Object.entries(table).map(([k, v]) => [normalizeEffectName(k), v]));
  return (name) => {
    const normal = normalizeEffectName(name);
    const exact = byNormal.get(normal);
    if (exact !== undefined) return { spec: exact };
    const base = baseEffectName(normal);
    const spec = base === null ? undefined : byNormal.get(base);
    return spec === undefined ? null : { spec, variantOf: base! };
  };
}
