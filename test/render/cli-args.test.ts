import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args';

describe('npm run render arguments', () => {
  it('take the engine to draw with, auto by default', () => {
    expect(parseCliArgs(['d.json'], {}).engine).toBe('auto');
    expect(parseCliArgs(['d.json'], { RENDER_ENGINE: 'compositor' }).settings.engine).toBe('compositor');
    expect(parseCliArgs(['d.json', '--engine', 'remotion']).engine).toBe('remotion');
    expect(() => parseCliArgs(['d.json', '--engine', 'gpu'])).toThrow(/--engine gpu: expected one of auto, compositor, remotion/);
  });
});
