/**
 * The frame delays of a GIF, read the way the composition's GIF player (@remotion/gif, through
 * gifuct) reads them: one delay per image, taken from the last graphic control extension before
 * it, and a delay of 0 (or none) played as 100 ms. The compositor needs them to know on which
 * frames a GIF sticker's picture changes (timeline/picture: gifFrameAt).
 */
import { readFile } from 'node:fs/promises';

/** Delays in ms, one per image; undefined when the file is not a GIF this parser can walk. */
export function gifFrameDelaysMs(bytes: Uint8Array): number[] | undefined {
  const ascii = (from: number, n: number) => String.fromCharCode(...bytes.subarray(from, from + n));
  if (bytes.length < 13 || ascii(0, 3) !== 'GIF') return undefined;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  let pos = 13;
  const screenFlags = bytes[10];
  if (screenFlags & 0x80) pos += 3 * 2 ** ((screenFlags & 7) + 1);
  /** Skips data sub-blocks (length-prefixed, ended by a 0). */
  const skipBlocks = () => {
    while (pos < bytes.length) {
      const size = bytes[pos++];
      if (size === 0) return;
      pos += size;
    }
  };
  const delays: number[] = [];
  let gceDelay: number | undefined;
  while (pos < bytes.length) {
    const code = bytes[pos++];
    if (code === 0x3b) break; // trailer
    if (code === 0x21) {
      const label = bytes[pos++];
      if (label === 0xf9 && bytes[pos] >= 4) gceDelay = u16(pos + 2);
      skipBlocks();
    } else if (code === 0x2c) {
      const flags = bytes[pos + 8];
      pos += 9;
      if (flags & 0x80) pos += 3 * 2 ** ((flags & 7) + 1);
      pos++; // LZW minimum code size
      skipBlocks();
      delays.push((gceDelay || 10) * 10);
    } else {
      return delays.length > 0 ? delays : undefined;
    }
  }
  return delays.length > 0 ? delays : undefined;
}

export async function readGifFrameDelaysMs(file: string): Promise<number[] | undefined> {
  try {
    return gifFrameDelaysMs(await readFile(file));
  } catch {
    return undefined;
  }
}
