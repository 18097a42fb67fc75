import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RENDER_ENGINES, type RenderEngine } from '../render/engine';
import { renderSettings, type RenderSettings } from '../render/settings';

export interface CliArgs {
  source: string;
  outPath: string;
  dataDir: string;
  mediaOverrides: Record<string, string>;
  maxSeconds?: number;
  engine: RenderEngine;
  allowPrivateNetwork: boolean;
  /** Built here, from the options and the environment (the same names the server reads). */
  settings: RenderSettings;
  /** npm run sheet: frames, columns, thumbnail width. */
  sheet: { count?: number; columns?: number; thumbWidthPx?: number };
}

export const USAGE = `usage: npm run render -- <draft url or file> -o out.mp4 [options]
  -o, --out FILE            where the MP4 goes (default: out.mp4)
  --media DIR               stand-in files for materials, matched by file name (repeatable)
  --media-file ID=FILE      a stand-in file for one material id or file name (repeatable)
  --seconds N               render only the first N seconds
  --engine E                auto (default, or $RENDER_ENGINE) | compositor | remotion: who draws the frames
  --data-dir DIR            material cache and temp files (default: $DATA_DIR or ./data)
  --allow-private-network   allow drafts/materials on loopback or private addresses
npm run sheet only:
  --count N                 frames in the sheet (default 12)
  --columns N               frames per row (default 4)
  --thumb-width PX          width of one frame in the sheet`;

/** Local drafts are the point of the CLI, so it always allows local files. */
export const parseCliArgs = (argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      media: { type: 'string', multiple: true },
      'media-file': { type: 'string', multiple: true },
      seconds: { type: 'string' },
      engine: { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-private-network': { type: 'boolean' },
      count: { type: 'string' },
      columns: { type: 'string' },
      'thumb-width': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) throw new Error(USAGE);

  const mediaOverrides: Record<string, string> = {};
  for (const dir of values.media ?? []) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--media ${dir}: not a folder`);
    for (const name of readdirSync(dir)) mediaOverrides[name] = path.resolve(dir, name);
  }
  for (const pair of values['media-file'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--media-file ${pair}: expected ID=FILE`);
    mediaOverrides[pair.slice(0, eq)] = path.resolve(pair.slice(eq + 1));
  }
  const maxSeconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (maxSeconds !== undefined && !(maxSeconds > 0)) throw new Error(`--seconds ${values.seconds}: expected a positive number`);

  const engine = RENDER_ENGINES.find((e) => e === (values.engine ?? env.RENDER_ENGINE ?? 'auto'));
  if (!engine) throw new Error(`--engine ${values.engine ?? env.RENDER_ENGINE}: expected one of ${RENDER_ENGINES.join(', ')}`);

  const positive = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} ${value}: expected a positive whole number`);
    return n;
  };

  const dataDir = path.resolve(values['data-dir'] ?? env.DATA_DIR ?? 'data');
  const allowPrivateNetwork = values['allow-private-network'] ?? env.ALLOW_PRIVATE_NETWORK === 'true';
  const settings = renderSettings({
    dataDir,
    engine,
    allowPrivateNetwork,
    ffmpegPath: env.FFMPEG_PATH || undefined,
    browserExecutable: env.BROWSER_EXECUTABLE || undefined,
    chunkSeconds: Number(env.GEN_VIDEO_CHUNK_SECONDS) || undefined,
    remotionLicenseKey: env.REMOTION_LICENSE_KEY || undefined,
    keepWorkFiles: Boolean(env.GEN_VIDEO_KEEP_COMPOSITE),
  });
  return {
    source: positionals[0],
    outPath: path.resolve(values.out ?? 'out.mp4'),
    dataDir,
    mediaOverrides,
    maxSeconds,
    engine,
    allowPrivateNetwork,
    settings,
    sheet: {
      count: positive('count', values.count),
      columns: positive('columns', values.columns),
      thumbWidthPx: positive('thumb-width', values['thumb-width']),
    },
  };
};

/** The command line of this process, or the usage/problem on stderr and exit code 2. */
export const cliArgsOrExit = (): CliArgs => {
  try {
    return parseCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
};
