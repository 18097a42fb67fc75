// Builds small JianYing drafts for tests, in the shape real drafts have (µs, half-canvas units).
let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}`;

export interface ClipJson {
  alpha?: number;
  rotation?: number;
  scale?: { x: number; y: number };
  transform?: { x: number; y: number };
  flip?: { horizontal?: boolean; vertical?: boolean };
}

export interface KeyframeJson {
  property_type: string;
  keyframe_list: {
    time_offset: number;
    values: number[];
    curveType?: string;
    left_control?: { x: number; y: number };
    right_control?: { x: number; y: number };
  }[];
}

export interface SegmentInput {
  materialId: string;
  startUs: number;
  durationUs: number;
  sourceStartUs?: number;
  /** Default durationUs × speed. */
  sourceDurationUs?: number;
  speed?: number;
  volume?: number;
  clip?: ClipJson;
  keyframes?: KeyframeJson[];
  /** Material ids of transitions, fades, animations… */
  refs?: string[];
  visible?: boolean;
  renderIndex?: number;
  id?: string;
}

type Json = Record<string, unknown>;

export class DraftBuilder {
  private tracks: Json[] = [];
  private materials: Record<string, Json[]> = {
    videos: [],
    audios: [],
    texts: [],
    transitions: [],
    audio_fades: [],
    speeds: [],
  };

  constructor(private canvas: { width: number; height: number; fps?: number }) {}

  video(
    url: string,
    o: { width: number; height: number; durationUs: number; photo?: boolean; name?: string; extra?: Json },
  ): string {
    const id = nextId('video');
    this.materials.videos.push({
      id,
      type: o.photo ? 'photo' : 'video',
      path: url,
      material_name: o.name ?? url.split('/').pop(),
      width: o.width,
      height: o.height,
      duration: o.photo ? 10_800_000_000 : o.durationUs,
      ...o.extra,
    });
    return id;
  }

  /** Any material (canvas, mask, effect, sticker…) with exactly these fields; returns its id. */
  material(list: string, fields: Json): string {
    const id = nextId(list);
    (this.materials[list] ??= []).push({ id, ...fields });
    return id;
  }

  audio(url: string, durationUs: number): string {
    const id = nextId('audio');
    this.materials.audios.push({ id, type: 'extract_music', path: url, name: url.split('/').pop(), duration: durationUs });
    return id;
  }

  /** A text material in the JSON-content shape; colour as [r, g, b] 0..1. */
  text(text: string, o: { size?: number; color?: [number, number, number]; strokeColor?: [number, number, number]; strokeWidth?: number } = {}): string {
    const id = nextId('text');
    const style: Json = {
      range: [0, [...text].length],
      size: o.size ?? 8,
      fill: { content: { solid: { color: o.color ?? [1, 1, 1] } } },
      bold: false,
      italic: false,
      underline: false,
      strokes: o.strokeColor
        ? [{ content: { solid: { color: o.strokeColor } }, width: o.strokeWidth ?? 0.08 }]
        : [],
    };
    this.materials.texts.push({
      id,
      type: 'text',
      content: JSON.stringify({ text, styles: [style] }),
      alignment: 1,
      line_max_width: 0.82,
      line_spacing: 0.02,
      check_flag: 7,
    });
    return id;
  }

  /** A text material with exactly these fields (content, flat styles…); returns its id. */
  rawText(fields: Json): string {
    const id = nextId('text');
    this.materials.texts.push({ id, type: 'text', ...fields });
    return id;
  }

  transition(name: string, durationUs: number): string {
    const id = nextId('transition');
    this.materials.transitions.push({ id, name, duration: durationUs, is_overlap: true, type: 'transition' });
    return id;
  }

  audioFade(fadeInUs: number, fadeOutUs: number): string {
    const id = nextId('fade');
    this.materials.audio_fades.push({ id, fade_in_duration: fadeInUs, fade_out_duration: fadeOutUs, type: 'audio_fade' });
    return id;
  }

  private segment(s: SegmentInput, withSource: boolean): Json {
    return {
      id: s.id ?? nextId('segment'),
      material_id: s.materialId,
      target_timerange: { start: s.startUs, duration: s.durationUs },
      source_timerange: withSource
        ? { start: s.sourceStartUs ?? 0, duration: s.sourceDurationUs ?? Math.round(s.durationUs * (s.speed ?? 1)) }
        : null,
      speed: s.speed ?? 1,
      volume: s.volume ?? 1,
      visible: s.visible ?? true,
      clip: {
        alpha: s.clip?.alpha ?? 1,
        rotation: s.clip?.rotation ?? 0,
        scale: s.clip?.scale ?? { x: 1, y: 1 },
        transform: s.clip?.transform ?? { x: 0, y: 0 },
        flip: { horizontal: s.clip?.flip?.horizontal ?? false, vertical: s.clip?.flip?.vertical ?? false },
      },
      common_keyframes: s.keyframes ?? [],
      extra_material_refs: s.refs ?? [],
      ...(s.renderIndex !== undefined ? { render_index: s.renderIndex } : {}),
    };
  }

  track(type: 'video' | 'audio' | 'text' | 'sticker', segments: SegmentInput[], o: { attribute?: number } = {}): this {
    this.tracks.push({
      id: nextId('track'),
      type,
      attribute: o.attribute ?? 0,
      segments: segments.map((s) => this.segment(s, type !== 'text' && type !== 'sticker')),
    });
    return this;
  }

  toJSON(): Json {
    let durationUs = 0;
    for (const t of this.tracks) {
      for (const s of t.segments as { target_timerange: { start: number; duration: number } }[]) {
        durationUs = Math.max(durationUs, s.target_timerange.start + s.target_timerange.duration);
      }
    }
    return {
      canvas_config: { width: this.canvas.width, height: this.canvas.height, ratio: 'original' },
      fps: this.canvas.fps ?? 30,
      duration: durationUs,
      tracks: this.tracks,
      materials: this.materials,
    };
  }
}
