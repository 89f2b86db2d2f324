// A PNG reader for the browser specs: enough of the format (RFC 2083) for the screenshots headless
// Chromium writes — 8-bit RGB or RGBA, not interlaced — decoded to RGBA pixels with node:zlib.
// Invariants: every chunk's length is checked against the file; anything else is an Error, never a
// wrong picture.
import * as zlib from 'node:zlib';

/** A decoded picture: `width` × `height` pixels, 4 bytes (RGBA) each, row by row. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit RGB or RGBA PNG (not interlaced). */
export function decodePng(data: Buffer): Picture {
  if (data.length < 8 || !data.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length;) {
    if (at + 8 > data.length) throw new Error('PNG: truncated chunk header');
    const len = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (at + 12 + len > data.length) throw new Error(`PNG: truncated ${type} chunk`);
    const body = data.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
        throw new Error(`PNG: only 8-bit RGB/RGBA without interlace (depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      }
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + len;
  }
  if (channels === 0) throw new Error('PNG: no IHDR chunk');
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG: ${raw.length} bytes of pixel data for ${width}x${height}`);
  const rgba = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      const add = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : -1;
      if (add < 0) throw new Error(`PNG: unknown filter ${filter}`);
      line[i] = (line[i] + add) & 0xff;
    }
    for (let px = 0; px < width; px++) {
      for (let k = 0; k < 3; k++) rgba[(y * width + px) * 4 + k] = line[px * channels + k];
      rgba[(y * width + px) * 4 + 3] = channels === 4 ? line[px * channels + 3] : 255;
    }
    prev = line;
  }
  return { width, height, rgba };
}

/** The colour of pixel (x, y) as `#rrggbb`. */
export function pixelAt(pic: Picture, x: number, y: number): string {
  const i = (y * pic.width + x) * 4;
  return `#${[pic.rgba[i], pic.rgba[i + 1], pic.rgba[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
