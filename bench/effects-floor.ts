/**
 * The floor of the effects video: plain ffmpeg doing the same decode, scale, overlay and encode
 * work in one filter graph, with ffmpeg's own nearest filters for the effects — zoompan photos
 * joined by xfade (fade for 叠化, hblur for 模糊, wipeleft for 向左擦除); the landscape clip over
 * a gblur'd cover-scaled copy of itself; the masked clip through a circle image (alphamerge); the
 * GIF as an input, looped; caption images; the karaoke caption as a white box with a gold one laid
 * over it word by word; afade/amix for the sound; libx264 with our preset and crf.
 */
import path from 'node:path';
import { backgroundBlurPx } from '../src/timeline/backgrounds';
import { CIRCLE_MASK, KARAOKE_IMAGES, karaokeBoxPx } from './effects-media';
import type { EffectsPlan } from './effects-plan';
import { audioChain, fixed, floorEnd, floorStart, leadIn, toFrames, type FloorOptions } from './floor';
import { captionImageSize } from './media';

const XFADE: Record<EffectsPlan['transitions'][number]['name'], string> = { 叠化: 'fade', 模糊: 'hblur', 向左擦除: 'wipeleft' };

export const effectsFloorArgs = (plan: EffectsPlan, o: FloorOptions): string[] => {
  const { fps, widthPx: W, heightPx: H } = plan;
  const { cutFrames, cutSec, inputs, graph, input } = floorStart(plan, o.cutSec);
  const audio: string[] = [];
  const media = (file: string) => path.join(o.mediaDir, file);
  const floorFile = (file: string) => path.join(o.floorDir, file);
  const at = (sec: number) => `setpts=PTS-STARTPTS+${fixed(sec)}/TB`;

  // Main track: each item over its frames, transitions' lead-in and tail included, joined by xfade.
  const windows = plan.transitions.map((t) => toFrames(t.sec, fps));
  const items = plan.main
    .map((m, i) => {
      const start = toFrames(m.startSec, fps);
      const end = toFrames(m.startSec + m.durationSec, fps);
      const fadeIn = i > 0 ? windows[i - 1] : 0;
      const lead = leadIn(fadeIn);
      const tail = (windows[i] ?? 0) - leadIn(windows[i] ?? 0);
      return { m, i, from: start - lead, to: end + tail, lead, segment: end - start, fadeIn };
    })
    .filter((s) => s.from < cutFrames);
  items.forEach(({ m, i, from, to, lead, segment }) => {
    const frames = to - from;
    if (m.kind === 'photo') {
      const k = input('-i', media(m.file));
      const progress = `clip((on-${lead})/${segment},0,1)`;
      const lerp = ([a, b]: [number, number]) => `(${fixed(a)}+${fixed(b - a)}*${progress})`;
      graph.push(
        `[${k}:v]format=yuv420p,zoompan=z='${lerp(m.zoom)}':x='iw/2*(1-(1+${lerp(m.panX)})/zoom)':y='ih/2*(1-1/zoom)':d=${frames}:s=${W}x${H}:fps=${fps},setsar=1[m${i}]`,
      );
      return;
    }
    const k = input('-i', media(m.file));
    const sigma = backgroundBlurPx(m.canvasBlur, { width: W, height: H });
    const fit = Math.min(W / m.widthPx, H / m.heightPx);
    const fw = 2 * Math.round((m.widthPx * fit) / 2);
    const fh = 2 * Math.round((m.heightPx * fit) / 2);
    graph.push(
      `[${k}:v]trim=duration=${fixed(m.durationSec)},split[c${i}a][c${i}b];` +
        `[c${i}a]scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},gblur=sigma=${fixed(sigma)}[bg${i}];` +
        `[c${i}b]scale=${fw}:${fh}[fg${i}];` +
        `[bg${i}][fg${i}]overlay=${(W - fw) / 2}:${(H - fh) / 2},setpts=PTS-STARTPTS,fps=${fps},` +
        `tpad=start=${lead}:start_mode=clone:stop=-1:stop_mode=clone,trim=end_frame=${frames},setsar=1[m${i}]`,
    );
    graph.push(`[${k}:a]${audioChain({ startSec: m.startSec, durationSec: m.durationSec }, cutSec)}[ma${i}]`);
    audio.push(`[ma${i}]`);
  });
  let base = `m${items[0].i}`;
  items.slice(1).forEach(({ i, from, fadeIn }) => {
    graph.push(`[${base}][m${i}]xfade=transition=${XFADE[plan.transitions[i - 1].name]}:duration=${fixed(fadeIn / fps)}:offset=${fixed(from / fps)}[x${i}]`);
    base = `x${i}`;
  });

  // The masked clip: contain-fitted, scaled, cut to a circle, at its time and place.
  const mk = plan.masked;
  if (toFrames(mk.startSec, fps) < cutFrames) {
    const k = input('-i', media(mk.file));
    const c = input('-i', floorFile(CIRCLE_MASK));
    const fit = Math.min(W / mk.widthPx, H / mk.heightPx) * mk.scale;
    const w = Math.round(mk.widthPx * fit);
    const h = Math.round(mk.heightPx * fit);
    graph.push(`[${c}:v]format=rgba,alphaextract,scale=${w}:${h},loop=loop=-1:size=1:start=0[circle]`);
    graph.push(`[${k}:v]trim=duration=${fixed(mk.durationSec)},scale=${w}:${h},format=yuva420p[mv];[mv][circle]alphamerge=shortest=1,${at(mk.startSec)}[masked]`);
    const y = Math.round((H / 2) * (1 - mk.yHalf) - h / 2);
    graph.push(`[${base}][masked]overlay=x=${Math.round((W - w) / 2)}:y=${y}:eof_action=pass[o1]`);
    base = 'o1';
    graph.push(`[${k}:a]${audioChain({ startSec: mk.startSec, durationSec: mk.durationSec }, cutSec)}[maskeda]`);
    audio.push('[maskeda]');
  }

  // The GIF, looped, at its time and place.
  const g = plan.gif;
  if (toFrames(g.startSec, fps) < cutFrames) {
    const k = input('-ignore_loop', '0', '-i', media(g.file));
    const size = 2 * Math.round((Math.min(W, H) * g.scale) / 2);
    graph.push(`[${k}:v]trim=duration=${fixed(g.durationSec)},fps=${fps},scale=${size}:${size},${at(g.startSec)}[gif]`);
    const x = Math.round((W / 2) * 1.4 - size / 2);
    const y = Math.round((H / 2) * (1 - g.yHalf) - size / 2);
    graph.push(`[${base}][gif]overlay=x=${x}:y=${y}:eof_action=pass[o2]`);
    base = 'o2';
  }

  // Captions, back to back: one image sequence.
  if (plan.captions.length > 0) {
    const caption = plan.captions[0];
    const { widthPx: cw, heightPx: ch } = captionImageSize(plan);
    const k = input('-framerate', `1/${fixed(caption.durationSec)}`, '-start_number', '0', '-i', floorFile('caption-%02d.png'));
    graph.push(`[${base}][${k}:v]overlay=x=${(W - cw) / 2}:y=${Math.round((H / 2) * (1 - caption.yHalf) - ch / 2)}:format=yuv420[o3]`);
    base = 'o3';
  }

  // Karaoke: the white box for the segment, the gold one over it a word at a time.
  const kr = plan.karaoke;
  if (toFrames(kr.startSec, fps) < cutFrames) {
    const box = karaokeBoxPx(plan);
    const x = (W - box.widthPx) / 2;
    const y = Math.round((H / 2) * (1 - kr.yHalf) - box.heightPx / 2);
    const white = input('-loop', '1', '-i', floorFile(KARAOKE_IMAGES[0]));
    const gold = input('-loop', '1', '-i', floorFile(KARAOKE_IMAGES[1]));
    const end = kr.startSec + kr.durationSec;
    graph.push(`[${base}][${white}:v]overlay=x=${x}:y=${y}:enable='between(t,${fixed(kr.startSec)},${fixed(end)})':shortest=1[k0]`);
    base = 'k0';
    const total = kr.words.reduce((n, w) => n + [...w.text].length, 0);
    let chars = 0;
    graph.push(`[${gold}:v]split=${kr.words.length}${kr.words.map((_, i) => `[g${i}]`).join('')}`);
    kr.words.forEach((w, i) => {
      const left = Math.round((box.widthPx * chars) / total);
      chars += [...w.text].length;
      const width = Math.round((box.widthPx * chars) / total) - left;
      graph.push(`[g${i}]crop=${width}:${box.heightPx}:${left}:0[gc${i}];[${base}][gc${i}]overlay=x=${x + left}:y=${y}:enable='between(t,${fixed(w.startSec)},${fixed(end)})':shortest=1[k${i + 1}]`);
      base = `k${i + 1}`;
    });
  }
  graph.push(`[${base}]format=yuv420p[vout]`);

  return floorEnd({ inputs, graph, input }, [plan.music, plan.voice], audio, { ...o, cutSec, fps });
};
