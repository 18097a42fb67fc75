/**
 * JianYing fonts → the open fonts this project ships (npm `@fontsource/*`, imported by
 * src/composition/fonts.ts). A draft names its font by resource id, title and a local path
 * (`…/Resources/Font/新青年体.ttf`, `…/SystemFont/zh-hans.ttf`); none of those files exist here, so
 * every font is drawn with the closest shipped family. A match that is the same design (思源黑体 is
 * Noto Sans SC) is silent; any other is reported as `font-substituted`, naming what was used.
 */

/** Every family and weight the composition imports; nothing else can be drawn. */
export const SHIPPED_FONTS = {
  'Noto Sans SC': [300, 400, 500, 700, 900],
  'Noto Serif SC': [400, 700],
  'LXGW WenKai': [500, 700],
  'ZCOOL KuaiLe': [400],
  'ZCOOL QingKe HuangYou': [400],
  'ZCOOL XiaoWei': [400],
  'Ma Shan Zheng': [400],
} as const satisfies Record<string, readonly number[]>;

export type ShippedFamily = keyof typeof SHIPPED_FONTS;

/** JianYing's own default (系统) is a Source Han Sans cut: Noto Sans SC is the same design. */
export const DEFAULT_FONT_FAMILY: ShippedFamily = 'Noto Sans SC';
/** Colour emoji (Twemoji from npm, see src/composition/fonts.ts), after the text fonts. */
export const EMOJI_FONT_FAMILY = 'Twemoji';
/**
 * Tried after a run's family, glyph by glyph: CJK sans for anything a display font lacks, then
 * colour emoji. Never tofu boxes.
 */
export const FALLBACK_FAMILIES: readonly string[] = [DEFAULT_FONT_FAMILY, EMOJI_FONT_FAMILY];

/** What a draft says about a run's font; any part may be missing. */
export interface FontRef {
  resourceId?: string;
  title?: string;
  path?: string;
}

export interface ResolvedFont {
  family: ShippedFamily;
  /** CSS weight the font's own design has (bold styles raise it further). */
  weight: number;
  /** `same`: the shipped font is the draft's font (silent); `closest`: a look-alike; `unknown`: the default. */
  match: 'same' | 'closest' | 'unknown';
  /** How the draft names the font, for messages. */
  label: string;
}

interface FontEntry {
  /** Titles / file names, compared after `normalizeFontName`. */
  names: string[];
  resourceIds?: string[];
  family: ShippedFamily;
  weight: number;
  sameDesign: boolean;
}

const sans = (weight: number, sameDesign: boolean, names: string[], resourceIds: string[] = []): FontEntry => ({
  names,
  resourceIds,
  family: 'Noto Sans SC',
  weight,
  sameDesign,
});

/**
 * Known JianYing fonts. Resource ids are the ones JianYing writes into `font_resource_id`,
 * `fonts[].resource_id`, JSON `styles[].font.id` and markup `<font id=..>`.
 */
const FONT_TABLE: FontEntry[] = [
  // The same designs as the shipped fonts.
  sans(400, true, ['系统', '默认', 'zh-hans', '思源黑体', 'sourcehansans', 'sourcehansanscn', 'sourcehansanssc', 'notosanssc', 'notosanscjk', 'notosanscjksc']),
  sans(300, true, ['sourcehansanscn-light', '思源黑体light', 'notosanssc-light'], ['7265596753926165050']),
  sans(400, true, ['sourcehansanscn-normal', 'sourcehansanscn-regular', 'notosanssc-regular'], ['7265596944867660346', '7265597035946971705']),
  sans(500, true, ['sourcehansanscn-medium', '思源黑体medium', 'notosanssc-medium'], ['7265596846465094199']),
  sans(700, true, ['sourcehansanscn-bold', '思源黑体bold', 'notosanssc-bold'], ['7265596643066516029']),
  sans(900, true, ['sourcehansanscn-heavy', 'notosanssc-black'], []),
  { names: ['思源宋体', 'sourcehanserif', 'sourcehanserifcn', 'sourcehanserifsc', 'notoserifsc', 'notoserifcjk', 'sourcehanserifcn-regular'], resourceIds: ['7265597449262076474'], family: 'Noto Serif SC', weight: 400, sameDesign: true },
  { names: ['sourcehanserifcn-bold', '思源宋体bold'], family: 'Noto Serif SC', weight: 700, sameDesign: true },
  // Source Han Serif cuts whose weight is not shipped: same design, nearest weight (reported).
  { names: ['sourcehanserifcn-light'], resourceIds: ['7265597259708895803'], family: 'Noto Serif SC', weight: 300, sameDesign: true },
  { names: ['sourcehanserifcn-medium', '思源中宋'], resourceIds: ['7265597365539574329', '6807743192671195655'], family: 'Noto Serif SC', weight: 500, sameDesign: true },
  { names: ['sourcehanserifcn-semibold'], resourceIds: ['7265598654294004281'], family: 'Noto Serif SC', weight: 600, sameDesign: true },
  { names: ['思源粗宋', 'sourcehanserifcn-heavy'], resourceIds: ['6807742980271641102'], family: 'Noto Serif SC', weight: 900, sameDesign: true },
  { names: ['霞鹜文楷', 'lxgwwenkai', 'lxgwwenkai-regular', '文楷'], resourceIds: ['7265591946897265212'], family: 'LXGW WenKai', weight: 500, sameDesign: true },
  { names: ['lxgwwenkai-bold', '霞鹜文楷bold'], resourceIds: ['7265591538472718903'], family: 'LXGW WenKai', weight: 700, sameDesign: true },
  { names: ['lxgwwenkai-light', '霞鹜文楷light'], resourceIds: ['7265592227118715448'], family: 'LXGW WenKai', weight: 300, sameDesign: true },
  { names: ['站酷快乐体', 'zcoolkuaile', '站酷快乐体2016修订版'], family: 'ZCOOL KuaiLe', weight: 400, sameDesign: true },
  { names: ['站酷庆科黄油体', 'zcoolqingkehuangyou', '庆科黄油体'], family: 'ZCOOL QingKe HuangYou', weight: 400, sameDesign: true },
  // JianYing's 小薇体 is listed with the free fonts of 2023 (the 72655… ids): 站酷小薇LOGO体.
  { names: ['站酷小薇', '站酷小薇体', '站酷小薇logo体', 'zcoolxiaowei', '小薇体'], resourceIds: ['7265594602311127607'], family: 'ZCOOL XiaoWei', weight: 400, sameDesign: true },
  { names: ['马善政', '马善政毛笔楷书', 'mashanzheng'], family: 'Ma Shan Zheng', weight: 400, sameDesign: true },

  // Different designs: the closest shipped look.
  sans(900, false, ['新青年体'], ['6740435892441190919']), // heavy display sans (黄字黑边 captions)
  sans(900, false, ['特黑体'], ['6740439840254333443']),
  sans(900, false, ['优设标题黑'], ['7068207165277737502']),
  sans(900, false, ['汉仪英雄体'], ['6740499052644798984']),
  sans(900, false, ['尔雅新大黑'], ['7217732136894206501']),
  sans(900, false, ['大字报'], ['7054126026267300382']),
  sans(900, false, ['综艺字'], ['7130642664080282149']),
  sans(900, false, ['高字标志黑'], ['7268259518427959866']),
  sans(700, false, ['雅酷黑简'], ['7130640934366089758']),
  sans(700, false, ['无界黑'], ['7203638485670957629']),
  sans(700, false, ['得意黑'], ['7399865900821647935']),
  sans(300, false, ['细体'], ['6740511815358222859']),
  sans(400, false, ['圆体', '简中圆', '兰亭圆'], ['6740436583247254029', '7050009066717844005', '7173608955527041567']),
  sans(400, false, ['经典雅黑', '微软雅黑', 'microsoftyahei', 'pingfangsc', '苹方'], ['7043775037559542279']),
  sans(500, false, ['抖音美好体'], ['7244518590332801592']),
  sans(400, false, ['harmonyos_sans_sc_regular', 'harmonyossanssc-regular', 'harmonyossans'], ['7265595305163231781']),
  sans(500, false, ['harmonyos_sans_sc_medium', 'harmonyossanssc-medium'], ['7265595177916437050']),
  sans(700, false, ['harmonyos_sans_sc_bold', 'harmonyossanssc-bold'], ['7265594890002633272']),
  sans(400, false, ['misans-regular', 'misans'], ['7265596106581479991']),
  sans(900, false, ['misans-heavy'], ['7265595579864977980']),
  sans(300, false, ['台北黑体-light'], ['7265536169083933242']),
  sans(400, false, ['台北黑体-regular', '台北黑体'], ['7265536307932172861']),
  { names: ['宋体', 'simsun'], resourceIds: ['6740513279296147982'], family: 'Noto Serif SC', weight: 400, sameDesign: false },
  { names: ['古风小楷'], resourceIds: ['7216598671016596029'], family: 'LXGW WenKai', weight: 500, sameDesign: false },
  { names: ['快乐体'], resourceIds: ['6740499472523989512'], family: 'ZCOOL KuaiLe', weight: 400, sameDesign: false },
  { names: ['童趣体', '萌趣体', '糯米团', '芋圆体', '元气泡泡体', '卡酷体', '甜甜圈', '喜悦体'], resourceIds: ['7035888265290846756', '7045186231122006535', '6934225430266253837', '7039989971796628005', '7203664981080937021', '7045187669847970341', '7130634783163421215', '7045187886924173861'], family: 'ZCOOL KuaiLe', weight: 400, sameDesign: false },
  { names: ['仓耳周珂正大榜书', '挥墨体', '飞扬行书', '霸燃手书'], resourceIds: ['7265577040110162492', '7037018943218782757', '7035922620969128479', '7045187409960505886'], family: 'Ma Shan Zheng', weight: 400, sameDesign: false },
];

/** Keyword rules for names the table does not list (checked in order; always "closest"). */
const FAMILY_KEYWORDS: [RegExp, ShippedFamily][] = [
  [/楷|kai/, 'LXGW WenKai'],
  [/行书|草书|隶书|书法|毛笔|榜书|手书|手写|墨|brush|calligraph/, 'Ma Shan Zheng'],
  [/宋|明朝|song|serif|ming|mincho/, 'Noto Serif SC'],
  [/黑|hei|sans|gothic/, 'Noto Sans SC'],
];

const WEIGHT_KEYWORDS: [RegExp, number][] = [
  [/heavy|black|ultra|特粗|超粗/, 900],
  [/extrabold|semibold|demibold|bold|粗/, 700],
  [/medium|中/, 500],
  [/thin|extralight|light|细/, 300],
];

const WEIGHT_NAMES: Record<number, string> = { 300: 'Light', 400: 'Regular', 500: 'Medium', 600: 'SemiBold', 700: 'Bold', 900: 'Black' };

/** Lower case, no directory, no extension, no spaces or underscores (`-` kept for weights). */
export function normalizeFontName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  return file
    .replace(/\.(ttf|otf|ttc|woff2?)$/i, '')
    .toLowerCase()
    .replace(/[\s_]+/g, '');
}

const byName = new Map<string, FontEntry>();
const byId = new Map<string, FontEntry>();
for (const entry of FONT_TABLE) {
  for (const n of entry.names) byName.set(normalizeFontName(n), entry);
  for (const id of entry.resourceIds ?? []) byId.set(id, entry);
}

/** The nearest weight the family ships (ties go to the heavier one). */
export function nearestShippedWeight(family: ShippedFamily, weight: number): number {
  const weights: readonly number[] = SHIPPED_FONTS[family];
  return weights.reduce((best, w) =>
    Math.abs(w - weight) < Math.abs(best - weight) || (Math.abs(w - weight) === Math.abs(best - weight) && w > best)
      ? w
      : best,
  );
}

const usefulTitle = (t: string | undefined) => (t && t.trim() && t.trim().toLowerCase() !== 'none' ? t.trim() : undefined);
/** A path that names a font file (pyJianYingDraft writes a bare `D:` beside the resource id). */
const usefulPath = (p: string | undefined) => (p && /\.(ttf|otf|ttc|woff2?)$/i.test(p.trim()) ? p.trim() : undefined);

/** How messages name a font: its title, else its file name, else its id. */
export function fontLabel(ref: FontRef): string {
  return (
    usefulTitle(ref.title) ??
    usefulPath(ref.path)?.split(/[\\/]/).pop()?.replace(/\.(ttf|otf|ttc|woff2?)$/i, '') ??
    (ref.resourceId ? `id ${ref.resourceId}` : '')
  );
}

/** True when the draft names no font at all (JianYing then uses its default, 系统). */
export const isEmptyFontRef = (ref: FontRef): boolean =>
  !ref.resourceId && !usefulTitle(ref.title) && !usefulPath(ref.path);

function lookup(ref: FontRef): FontEntry | undefined {
  if (ref.resourceId && byId.has(ref.resourceId)) return byId.get(ref.resourceId);
  const names = [usefulTitle(ref.title), usefulPath(ref.path)].filter((n): n is string => !!n).map(normalizeFontName);
  for (const n of names) {
    const hit = byName.get(n);
    if (hit) return hit;
  }
  for (const n of names) {
    const family = FAMILY_KEYWORDS.find(([re]) => re.test(n))?.[1];
    if (family) {
      const weight = WEIGHT_KEYWORDS.find(([re]) => re.test(n))?.[1] ?? 400;
      return { names: [], family, weight, sameDesign: false };
    }
  }
  return undefined;
}

/** The shipped font a JianYing font reference is drawn with. */
export function resolveFont(ref: FontRef): ResolvedFont {
  if (isEmptyFontRef(ref)) return { family: DEFAULT_FONT_FAMILY, weight: 400, match: 'same', label: '系统' };
  const entry = lookup(ref);
  // A font known only by its id is named as the table names it.
  const label = !usefulTitle(ref.title) && !usefulPath(ref.path) && entry?.names[0] ? entry.names[0] : fontLabel(ref);
  if (!entry) return { family: DEFAULT_FONT_FAMILY, weight: 400, match: 'unknown', label };
  const weight = nearestShippedWeight(entry.family, entry.weight);
  const same = entry.sameDesign && weight === entry.weight;
  return { family: entry.family, weight, match: same ? 'same' : 'closest', label };
}

/** The `font-substituted` message for a resolved font; undefined when it is the draft's own design. */
export function substitutionMessage(font: ResolvedFont): string | undefined {
  const used = `${font.family} ${WEIGHT_NAMES[font.weight] ?? font.weight}`;
  if (font.match === 'closest') return `font "${font.label}" drawn with ${used} (closest shipped font)`;
  if (font.match === 'unknown') return `font "${font.label}" unknown: drawn with ${used}`;
  return undefined;
}
