/** What the figures were measured on: they mean little without it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { browserOf, renderSettings } from '../src/render/settings';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: a busy machine makes every figure slower. */
  loadAvg1m: number;
  systemFfmpeg: string;
  remotionFfmpeg: string;
  chromium: string;
}

const firstLine = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString().split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
};

const cpuModel = (): string => {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: os.cpus() below
  }
  return os.cpus()[0]?.model ?? 'unknown';
};

/** Remotion's own ffmpeg (it encodes our frames and mixes our audio), found beside its compositor. */
const remotionFfmpegPath = (): string | null => {
  try {
    const pkg = createRequire(import.meta.url).resolve(`@remotion/compositor-${process.platform}-${process.arch}-gnu/package.json`);
    return path.join(path.dirname(pkg), 'ffmpeg');
  } catch {
    return null;
  }
};

export const describeMachine = (systemFfmpeg: string): Machine => {
  const remotion = remotionFfmpegPath();
  let chromium = 'unknown';
  try {
    chromium = firstLine(browserOf(renderSettings({ dataDir: os.tmpdir() })), ['--version']);
  } catch {
    // reported as unknown; the render itself will say what is missing
  }
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAvg1m: Math.round(os.loadavg()[0] * 100) / 100,
    systemFfmpeg: `${systemFfmpeg}: ${firstLine(systemFfmpeg, ['-version']).replace(/ Copyright.*/, '')}`,
    remotionFfmpeg: remotion
      ? `${remotion}: ${firstLine(remotion, ['-version']).replace(/ Copyright.*/, '')}`
      : 'unknown',
    chromium,
  };
};
