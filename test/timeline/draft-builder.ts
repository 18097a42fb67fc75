/** Small hand-made drafts for the timeline tests (raw JSON, as a writer would emit it). */
import { parseDraft, type Draft } from '../../src/draft/schema';

export const FIXTURES_DIR = new URL('../../../shared/fixtures/public-drafts/', import.meta.url);

type Json = Record<string, unknown>;

export function segment(id: string, materialId: string, startUs: number, durationUs: number, extra: Json = {}): Json {
  return {
    id,
    material_id: materialId,
    target_timerange: { start: startUs, duration: durationUs },
    source_timerange: { start: 0, duration: durationUs },
    speed: 1,
    volume: 1,
    clip: {
      alpha: 1,
      flip: { horizontal: false, vertical: false },
      rotation: 0,
      scale: { x: 1, y: 1 },
      transform: { x: 0, y: 0 },
    },
    extra_material_refs: [],
    common_keyframes: [],
    visible: true,
    ...extra,
  };
}

export function video(id: string, extra: Json = {}): Json {
  return { id, type: 'video', path: `/media/${id}.mp4`, width: 1280, height: 720, duration: 60_000_000, ...extra };
}

export function photo(id: string, extra: Json = {}): Json {
  return { id, type: 'photo', path: `/media/${id}.png`, width: 1000, height: 1000, duration: 10_800_000_000, ...extra };
}

export function audio(id: string, extra: Json = {}): Json {
  return { id, type: 'extract_music', path: `/media/${id}.mp3`, duration: 60_000_000, ...extra };
}

export function text(id: string, content: string, extra: Json = {}): Json {
  return { id, type: 'text', content, ...extra };
}

export function rawDraft(opts: { tracks: Json[]; materials?: Json; fps?: unknown; width?: number; height?: number }): Json {
  return {
    canvas_config: { width: opts.width ?? 1080, height: opts.height ?? 1920, ratio: 'original' },
    fps: 'fps' in opts ? opts.fps : 30,
    duration: 0,
    tracks: opts.tracks,
    materials: opts.materials ?? {},
  };
}

export function draft(opts: Parameters<typeof rawDraft>[0]): Draft {
  return parseDraft(rawDraft(opts));
}
