/**
 * File types of downloaded materials. The extension matters: the render's media server picks
 * the Content-Type from it, and many material URLs have none (`https://picsum.photos/800/600`).
 */

/** Extensions we keep as they are; anything else is decided from the bytes. */
export const MEDIA_EXTENSIONS = [
  'mp4', 'm4v', 'mov', 'webm', 'mkv', 'avi', 'flv', 'ts',
  'm4a', 'mp3', 'wav', 'aac', 'ogg', 'oga', 'opus', 'flac',
  'png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp',
] as const;

const KNOWN = new Set<string>(MEDIA_EXTENSIONS);

const BY_CONTENT_TYPE: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/x-msvideo': 'avi',
  'video/x-flv': 'flv',
  'video/mp2t': 'ts',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/aac': 'aac',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
};

/** The URL's (or path's) extension when it is a media extension we know. */
export function extensionFromUrl(location: string): string | undefined {
  let pathname = location;
  try {
    pathname = new URL(location).pathname;
  } catch {
    // a path, not a URL
  }
  const match = /\.([a-z0-9]{2,5})$/i.exec(pathname.split(/[\\/]/).pop() ?? '');
  const ext = match?.[1].toLowerCase();
  return ext && KNOWN.has(ext) ? (ext === 'jpeg' ? 'jpg' : ext) : undefined;
}

export function extensionFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return BY_CONTENT_TYPE[contentType.split(';')[0].trim().toLowerCase()];
}

/** The extension the first bytes of a file imply (16+ bytes needed). */
export function sniffExtension(head: Buffer): string | undefined {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length < 12) return undefined;
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpg';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 2) === 'BM') return 'bmp';
  if (ascii(0, 4) === 'RIFF') {
    const form = ascii(8, 12);
    if (form === 'WEBP') return 'webp';
    if (form === 'WAVE') return 'wav';
    if (form === 'AVI ') return 'avi';
  }
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'qt  ') return 'mov';
    if (brand.startsWith('M4A') || brand.startsWith('M4B')) return 'm4a';
    return 'mp4';
  }
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 3) === 'FLV') return 'flv';
  if (ascii(0, 3) === 'ID3' || (head[0] === 0xff && (head[1] & 0xe6) === 0xe2)) return 'mp3';
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return 'aac';
  return undefined;
}

export interface PixelSize {
  widthPx: number;
  heightPx: number;
}

/**
 * Picture size from an image header (PNG, GIF, BMP, WebP, JPEG), for when ffprobe reports none
 * (ffprobe's image2 demuxer gives 0×0 for some WebP files). JPEG needs the bytes up to its
 * frame header, which can sit behind a large EXIF block: pass a generous head.
 */
export function imageSizeFromHeader(head: Buffer): PixelSize | undefined {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  const size = (w: number, h: number) => (w > 0 && h > 0 ? { widthPx: w, heightPx: h } : undefined);
  if (head.length < 30) return undefined;
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG' && ascii(12, 16) === 'IHDR') {
    return size(head.readUInt32BE(16), head.readUInt32BE(20));
  }
  if (ascii(0, 4) === 'GIF8') return size(head.readUInt16LE(6), head.readUInt16LE(8));
  if (ascii(0, 2) === 'BM') return size(head.readInt32LE(18), Math.abs(head.readInt32LE(22)));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return webpSize(head);
  if (head[0] === 0xff && head[1] === 0xd8) return jpegSize(head);
  return undefined;
}

function webpSize(head: Buffer): PixelSize | undefined {
  const chunk = head.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8X') {
    // 24-bit "canvas size minus one" fields.
    const w = 1 + head.readUIntLE(24, 3);
    const h = 1 + head.readUIntLE(27, 3);
    return { widthPx: w, heightPx: h };
  }
  if (chunk === 'VP8L' && head[20] === 0x2f) {
    const bits = head.readUInt32LE(21);
    return { widthPx: 1 + (bits & 0x3fff), heightPx: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ' && head[23] === 0x9d && head[24] === 0x01 && head[25] === 0x2a) {
    return { widthPx: head.readUInt16LE(26) & 0x3fff, heightPx: head.readUInt16LE(28) & 0x3fff };
  }
  return undefined;
}

function jpegSize(head: Buffer): PixelSize | undefined {
  let offset = 2;
  while (offset + 9 < head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1];
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const h = head.readUInt16BE(offset + 5);
      const w = head.readUInt16BE(offset + 7);
      return w > 0 && h > 0 ? { widthPx: w, heightPx: h } : undefined;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2; // markers without a length
      continue;
    }
    offset += 2 + head.readUInt16BE(offset + 2);
  }
  return undefined;
}

/**
 * EXIF orientation (1..8) of a JPEG, or undefined. Browsers draw photos upright by it, so 5..8
 * (quarter turns) swap the displayed width and height; ffprobe reports the stored size.
 */
export function jpegExifOrientation(head: Buffer): number | undefined {
  if (head.length < 4 || head[0] !== 0xff || head[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 4 <= head.length && head[offset] === 0xff) {
    const marker = head[offset + 1];
    const length = head.readUInt16BE(offset + 2);
    if (marker === 0xda) return undefined; // image data starts: no EXIF before it
    if (marker === 0xe1 && head.subarray(offset + 4, offset + 10).toString('latin1') === 'Exif\0\0') {
      return exifOrientation(head.subarray(offset + 10, offset + 2 + length));
    }
    offset += 2 + length;
  }
  return undefined;
}

function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}
