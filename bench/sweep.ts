/**
 * `npx tsx bench/sweep.ts [--seconds 10] [--rounds 2] [--json FILE]`: renders the reference cut
 * with several encode settings from one set of media, in interleaved rounds (A B C… A B C…) so a
 * change in the machine's load hits every setting alike. Reports wall and CPU time per setting;
 * on a shared machine compare by CPU time. Renders with Remotion: JPEG quality and concurrency
 * are its settings (the compositor has neither).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ENCODE, type EncodeSettings } from '../src/render/settings';
import { garbageCollector } from './bench';
import { describeMachine } from './machine';
import { SYSTEM_FFMPEG } from './media';
import { benchDraft } from './drafts';
import { REFERENCE_CANVAS } from './plan';
import { prepareReference } from './reference';
import { renderOurs, type OursResult } from './render-ours';

const ALL_VARIANTS: { name: string; encode: Partial<EncodeSettings> }[] = [
  { name: 'default', encode: {} },
  { name: 'concurrency 1', encode: { concurrency: 1 } },
  { name: 'concurrency 3', encode: { concurrency: 3 } },
  { name: 'jpegQuality 80', encode: { jpegQuality: 80 } },
  { name: 'x264 superfast', encode: { x264Preset: 'superfast' } },
  { name: 'jpegQuality 80 + superfast', encode: { jpegQuality: 80, x264Preset: 'superfast' } },
];
// Remotion refuses a concurrency above the number of cores.
const VARIANTS = ALL_VARIANTS.filter((v) => (v.encode.concurrency ?? 0) <= os.cpus().length);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (x: number, base: number) => `${x >= base ? '+' : ''}${(((x - base) / base) * 100).toFixed(0)} %`;

const main = async () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { seconds: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'string' } },
  });
  const cutSec = Number(values.seconds ?? 10);
  const rounds = Number(values.rounds ?? 2);
  const machine = describeMachine(SYSTEM_FFMPEG);
  const plan = benchDraft('reference', REFERENCE_CANVAS);
  const collectGarbage = garbageCollector();
  const log = (line: string) => console.error(`[sweep] ${line}`);
  const ref = await prepareReference(plan, log);
  const results = new Map<string, (OursResult & { loadAvg1m: number })[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const v of VARIANTS) {
        const loadAvg1m = os.loadavg()[0];
        log(`round ${round + 1}/${rounds}: ${v.name} (load ${loadAvg1m.toFixed(1)})`);
        const r = await renderOurs({
          draftUrl: ref.draftUrl,
          dataDir: path.join(ref.tmpDir, 'data'),
          videosDir: path.join(ref.tmpDir, 'videos'),
          videoName: 'ours.mp4',
          engine: 'remotion',
          cutSec,
          encode: v.encode,
          collectGarbage,
        });
        log(`  ${r.wallSec.toFixed(1)} s wall, ${r.cpuSec.toFixed(1)} s CPU`);
        results.get(v.name)!.push({ ...r, loadAvg1m });
      }
    }
  } finally {
    await ref.close();
  }

  const rows = VARIANTS.map((v) => {
    const rs = results.get(v.name)!;
    return {
      name: v.name,
      encode: { ...DEFAULT_ENCODE, ...v.encode },
      wallSec: median(rs.map((r) => r.wallSec)),
      cpuSec: median(rs.map((r) => r.cpuSec)),
      fps: rs[0].frames / median(rs.map((r) => r.wallSec)),
      peakRssMb: Math.max(...rs.map((r) => r.treePeakRssMb)),
      sizeBytes: rs[0].sizeBytes,
      runs: rs.map((r) => ({ wall_s: r.wallSec, cpu_s: r.cpuSec, load_avg_1m: r.loadAvg1m, node_rss_after_mb: r.nodeRssAfterMb })),
    };
  });
  const base = rows[0];
  console.log(`settings sweep: ${plan.widthPx}x${plan.heightPx}, first ${cutSec} s, median of ${rounds} interleaved rounds`);
  const skipped = ALL_VARIANTS.filter((v) => !VARIANTS.includes(v)).map((v) => v.name);
  if (skipped.length) console.log(`skipped (Remotion caps concurrency at ${os.cpus().length} cores here): ${skipped.join(', ')}`);
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load ${machine.loadAvg1m} at start, ${os.loadavg()[0].toFixed(2)} at end`);
  console.log('| setting | wall s | CPU s | frames/s | peak MB | MP4 MB | wall vs default | CPU vs default |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.wallSec.toFixed(1)} | ${r.cpuSec.toFixed(1)} | ${r.fps.toFixed(2)} | ${Math.round(r.peakRssMb)} | ${(r.sizeBytes / 1e6).toFixed(1)} | ${pct(r.wallSec, base.wallSec)} | ${pct(r.cpuSec, base.cpuSec)} |`,
    );
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ cutSec, rounds, machine, rows }, null, 2)}\n`);
};

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
