/**
 * JianYing's legacy text markup (draft-format.md §8, shape 2), e.g.
 * `<outline color=(0,0,0,1) width=0.08><size=7><color=(1,0.87,0,1)><font id=".." path="..">[text]</font></color></size></outline>`.
 * Tags nest; the text of a run sits in square brackets.
 */
import { parseFloatTuple, type Rgba } from './color';

export interface MarkupSpan {
  text: string;
  /** JianYing size units (see text.ts for pixels). */
  size?: number;
  color?: Rgba;
  outline?: { color?: Rgba; width?: number };
  fontPath?: string;
  fontId?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

type SpanStyle = Omit<MarkupSpan, 'text'>;

const VALUE = String.raw`(?:"[^"]*"|'[^']*'|\([^)]*\)|[^\s>]*)`;
const TAG = new RegExp(
  String.raw`<(\/?)(outline|size|color|font|b|i|u)\b(?:=(${VALUE}))?((?:\s+[\w-]+=${VALUE})*)\s*\/?>`,
  'gi',
);
const ATTR = new RegExp(String.raw`([\w-]+)=(${VALUE})`, 'g');

/** Content that starts with one of the markup's tags. */
export function isLegacyMarkup(content: string): boolean {
  return /^\s*<(outline|size|color|font|b|i|u)\b[^>]*>/i.test(content);
}

const unquote = (v: string) => v.replace(/^["']|["']$/g, '');

function applyTag(style: SpanStyle, name: string, value: string | undefined, attrs: string): SpanStyle {
  const a: Record<string, string> = {};
  for (const m of attrs.matchAll(ATTR)) a[m[1].toLowerCase()] = unquote(m[2]);
  switch (name) {
    case 'size': {
      const size = Number(unquote(value ?? a.size ?? ''));
      return Number.isFinite(size) && size > 0 ? { ...style, size } : style;
    }
    case 'color': {
      const color = parseFloatTuple(unquote(value ?? a.color ?? ''));
      return color ? { ...style, color } : style;
    }
    case 'outline': {
      const color = a.color ? (parseFloatTuple(a.color) ?? undefined) : undefined;
      const width = a.width !== undefined ? Number(a.width) : undefined;
      return {
        ...style,
        outline: {
          ...(color ? { color } : {}),
          ...(width !== undefined && Number.isFinite(width) ? { width } : {}),
        },
      };
    }
    case 'font':
      return {
        ...style,
        ...(a.path ? { fontPath: a.path } : {}),
        ...(a.id ? { fontId: a.id } : {}),
      };
    case 'b':
      return { ...style, bold: true };
    case 'i':
      return { ...style, italic: true };
    case 'u':
      return { ...style, underline: true };
    default:
      return style;
  }
}

/**
 * The texts of one chunk between tags: `[a]` → a, `[a][b]` → a, b (several runs under the same
 * tags). Brackets inside a run are kept: only `][` (maybe with spaces between) separates runs. A chunk without brackets is
 * literal text.
 */
function bracketRuns(raw: string): string[] {
  const trimmed = raw.trim();
  if (!(trimmed.startsWith('[') && trimmed.endsWith(']'))) return [raw];
  return trimmed.slice(1, -1).split(/\]\s*\[/);
}

/** The markup's runs, in order. Unknown text outside tags is kept as literal text. */
export function parseLegacyMarkup(content: string): MarkupSpan[] {
  const spans: MarkupSpan[] = [];
  const stack: { name: string; style: SpanStyle }[] = [{ name: '', style: {} }];
  const pushText = (raw: string) => {
    // Whitespace between tags is layout of the markup itself, not text.
    if (raw.trim() === '' && !raw.includes('[')) return;
    for (const text of bracketRuns(raw)) {
      if (text !== '') spans.push({ text, ...stack[stack.length - 1].style });
    }
  };
  let last = 0;
  for (const m of content.matchAll(TAG)) {
    pushText(content.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, rawName, value, attrs] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      const at = stack.map((f) => f.name).lastIndexOf(name);
      if (at > 0) stack.length = at;
    } else if (!m[0].endsWith('/>')) {
      stack.push({ name, style: applyTag(stack[stack.length - 1].style, name, value, attrs ?? '') });
    }
  }
  pushText(content.slice(last));
  return spans;
}
