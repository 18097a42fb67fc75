/**
 * A lenient schema of the JianYing/CapCut draft (draft-format.md): only the fields the timeline
 * uses are typed; every other field passes through untouched. Nulls and missing fields get the
 * defaults the format doc gives, but a wrong type in a field we use is an error naming the field,
 * because guessing there would draw a wrong picture without telling anyone.
 */
import { z } from 'zod';
import { GenVideoError } from '../errors';

// ---------------------------------------------------------------------------------------------
// Building blocks: `null` and absent mean "use the default"; any other wrong type is rejected.

const num = (fallback: number) => z.number().nullish().transform((v) => v ?? fallback);
const optNum = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
const bool = (fallback: boolean) => z.boolean().nullish().transform((v) => v ?? fallback);
const optBool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined);
const str = (fallback: string) => z.string().nullish().transform((v) => v ?? fallback);
const optStr = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
/** Ids are strings; a writer that emits numeric ids is tolerated. */
const id = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? '' : String(v)));
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => (v ?? []) as z.output<T>[]);
const optIdText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null || v === '' ? undefined : String(v)));
const idList = list(z.union([z.string(), z.number()]).transform(String));

// ---------------------------------------------------------------------------------------------
// Segments

const timerangeSchema = z.looseObject({
  /** µs; absent in some writers (= 0). */
  start: num(0),
  /** µs. */
  duration: z.number(),
});

const sourceTimerangeSchema = z.looseObject({
  start: num(0),
  duration: optNum,
});

const clipSchema = z.looseObject({
  alpha: num(1),
  flip: z
    .looseObject({ horizontal: bool(false), vertical: bool(false) })
    .nullish()
    .transform((v) => v ?? { horizontal: false, vertical: false }),
  rotation: num(0),
  scale: z
    .looseObject({ x: num(1), y: num(1) })
    .nullish()
    .transform((v) => v ?? { x: 1, y: 1 }),
  transform: z
    .looseObject({ x: num(0), y: num(0) })
    .nullish()
    .transform((v) => v ?? { x: 0, y: 0 }),
});

const DEFAULT_CLIP = clipSchema.parse({});

/** A key frame's Bézier handle: x in µs from the key frame (left negative), y in the property's units. */
const controlSchema = z
  .looseObject({ x: num(0), y: num(0) })
  .nullish()
  .transform((v) => v ?? { x: 0, y: 0 });

const keyframeSchema = z.looseObject({
  /** µs from the segment's target start. */
  time_offset: num(0),
  values: list(z.number()),
  curveType: optStr,
  left_control: controlSchema,
  right_control: controlSchema,
});

const keyframeGroupSchema = z.looseObject({
  property_type: str(''),
  keyframe_list: list(keyframeSchema),
});

const segmentSchema = z
  .looseObject({
    id,
    material_id: id,
    target_timerange: timerangeSchema,
    source_timerange: sourceTimerangeSchema.nullish().transform((v) => v ?? null),
    /** The segment's own speed is authoritative; null means 1. */
    speed: num(1),
    volume: num(1),
    clip: clipSchema.nullish().transform((v) => v ?? DEFAULT_CLIP),
    uniform_scale: z
      .looseObject({ on: optBool, value: optNum })
      .nullish()
      .transform((v) => v ?? undefined),
    common_keyframes: list(keyframeGroupSchema),
    keyframe_refs: idList,
    extra_material_refs: idList,
    /** Older drafts' name for extra_material_refs. */
    extra_material_ids: idList,
    visible: bool(true),
    reverse: bool(false),
    render_index: optNum,
  })
  .transform((s) => ({
    ...s,
    // One list for both spellings, so nothing downstream needs to know about the old one.
    extra_material_refs: [...new Set([...s.extra_material_refs, ...s.extra_material_ids])],
  }));

const trackSchema = z.looseObject({
  id,
  type: str(''),
  segments: list(segmentSchema),
  render_index: optNum,
  /** Bit 0 set = muted. */
  attribute: optNum,
  muted: optBool,
});

// ---------------------------------------------------------------------------------------------
// Materials (only the lists and fields the timeline reads are typed)

const videoMaterialSchema = z.looseObject({
  id,
  /** "video" | "photo" (GIFs appear as "video"). */
  type: str(''),
  path: str(''),
  remote_url: optStr,
  material_name: optStr,
  name: optStr,
  width: optNum,
  height: optNum,
  /** µs; a photo's is 3 h. */
  duration: optNum,
  has_audio: optBool,
});

const audioMaterialSchema = z.looseObject({
  id,
  type: str(''),
  path: str(''),
  remote_url: optStr,
  name: optStr,
  duration: optNum,
});

const textMaterialSchema = z.looseObject({
  id,
  type: str(''),
  /** JSON string, legacy markup or plain text (§8); some writers store the JSON already parsed. */
  content: z
    .union([z.string(), z.looseObject({})])
    .nullish()
    .transform((v) => v ?? ''),
  font_size: optNum,
  text_color: optStr,
  text_alpha: optNum,
  alignment: optNum,
  typesetting: optNum,
  letter_spacing: optNum,
  line_spacing: optNum,
  line_max_width: optNum,
  check_flag: optNum,
  bold_width: optNum,
  italic_degree: optNum,
  underline: optBool,
  border_width: optNum,
  border_color: optStr,
  border_alpha: optNum,
  has_shadow: optBool,
  shadow_color: optStr,
  shadow_alpha: optNum,
  shadow_angle: optNum,
  shadow_distance: optNum,
  shadow_smoothing: optNum,
  background_color: optStr,
  background_alpha: optNum,
  background_round_radius: optNum,
  background_width: optNum,
  background_height: optNum,
  background_horizontal_offset: optNum,
  background_vertical_offset: optNum,
  background_style: optNum,
  underline_width: optNum,
  underline_offset: optNum,
  global_alpha: optNum,
  force_apply_line_max_width: optBool,
  font_path: optStr,
  font_title: optStr,
  font_name: optStr,
  /** Font ids are digit strings; a writer that emits numbers is tolerated. */
  font_resource_id: optIdText,
  font_id: optIdText,
  /** `[{resource_id, path, title}]`: read leniently by the text module. */
  fonts: z.unknown().optional(),
  /** Karaoke colour, `#RRGGBB(AA)`. */
  ktv_color: optStr,
  /** Karaoke timing `{start_time[], end_time[], text[]}`: read leniently by the text module. */
  words: z.unknown().optional(),
});

const audioFadeSchema = z.looseObject({
  id,
  /** µs. */
  fade_in_duration: num(0),
  fade_out_duration: num(0),
});

const transitionMaterialSchema = z.looseObject({
  id,
  name: str(''),
  /** µs. */
  duration: num(0),
  is_overlap: optBool,
  effect_id: optStr,
  resource_id: optStr,
});

const animationSchema = z.looseObject({
  id,
  name: str(''),
  type: str(''),
  start: num(0),
  duration: num(0),
});

const animationMaterialSchema = z.looseObject({
  id,
  type: str(''),
  animations: list(animationSchema),
});

const canvasMaterialSchema = z.looseObject({
  id,
  type: str(''),
  color: str(''),
  blur: optNum,
  image: optStr,
});

const speedMaterialSchema = z.looseObject({
  id,
  speed: optNum,
  /** 0: constant speed; 1: the speed curve below. */
  mode: optNum,
  /** Non-null means a speed curve (变速曲线). */
  curve_speed: z.unknown().optional(),
});

const materialsSchema = z.looseObject({
  videos: list(videoMaterialSchema),
  audios: list(audioMaterialSchema),
  texts: list(textMaterialSchema),
  audio_fades: list(audioFadeSchema),
  transitions: list(transitionMaterialSchema),
  material_animations: list(animationMaterialSchema),
  canvases: list(canvasMaterialSchema),
  speeds: list(speedMaterialSchema),
});

// ---------------------------------------------------------------------------------------------
// The draft

const draftSchema = z.looseObject({
  canvas_config: z
    .looseObject({ width: optNum, height: optNum })
    .nullish()
    .transform((v) => v ?? undefined),
  /** Frames per second; may be missing or a float (the timeline defaults it). */
  fps: optNum,
  /** µs; informative only, the segments are trusted instead. */
  duration: optNum,
  tracks: z.array(trackSchema),
  materials: materialsSchema,
});

export type Draft = z.output<typeof draftSchema>;
export type DraftTrack = z.output<typeof trackSchema>;
export type DraftSegment = z.output<typeof segmentSchema>;
export type DraftClip = z.output<typeof clipSchema>;
export type DraftKeyframeGroup = z.output<typeof keyframeGroupSchema>;
export type DraftKeyframe = z.output<typeof keyframeSchema>;
export type DraftMaterials = z.output<typeof materialsSchema>;
export type VideoMaterial = z.output<typeof videoMaterialSchema>;
export type AudioMaterial = z.output<typeof audioMaterialSchema>;
export type TextMaterial = z.output<typeof textMaterialSchema>;
export type AudioFadeMaterial = z.output<typeof audioFadeSchema>;
export type TransitionMaterial = z.output<typeof transitionMaterialSchema>;
export type AnimationMaterial = z.output<typeof animationMaterialSchema>;
export type CanvasMaterial = z.output<typeof canvasMaterialSchema>;
export type SpeedMaterial = z.output<typeof speedMaterialSchema>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validate a parsed draft JSON object (already unwrapped from any service wrapper) and fill in
 * the format's defaults. Throws GenVideoError('DRAFT_INVALID') naming the offending field.
 */
export function parseDraft(json: unknown): Draft {
  if (!isObject(json) || (!('tracks' in json) && !('materials' in json))) {
    if (isObject(json) && ('format_version' in json || Array.isArray(json.drafts))) {
      throw new GenVideoError(
        'DRAFT_INVALID',
        "this is Coze2JianYing's intermediate export (format_version/drafts[]), not a JianYing draft; " +
          'generate the JianYing draft from it first',
      );
    }
    throw new GenVideoError('DRAFT_INVALID', 'not a JianYing draft (no tracks/materials)');
  }
  const result = draftSchema.safeParse(json);
  if (!result.success) {
    const [first] = result.error.issues;
    const more = result.error.issues.length - 1;
    throw new GenVideoError(
      'DRAFT_INVALID',
      describeIssue(first) + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''),
      { cause: result.error },
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Error messages: `tracks[0].segments[2].target_timerange.duration: expected a number`

type Issue = z.core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(document)';
}

const withArticle = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function expectedTypes(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [issue.expected];
  if (issue.code === 'invalid_union') {
    return issue.errors.flatMap((branch) => branch.flatMap((i) => expectedTypes(i)));
  }
  return [];
}

function describeIssue(issue: Issue): string {
  const where = formatPath(issue.path);
  const expected = [...new Set(expectedTypes(issue))];
  if (expected.length > 0) return `${where}: expected ${expected.map(withArticle).join(' or ')}`;
  return `${where}: ${issue.message}`;
}
