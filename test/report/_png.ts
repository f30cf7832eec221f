import { inflateSync } from 'node:zlib';

/** A decoded PNG: 8-bit RGB or RGBA pixels, row by row. */
export interface Image {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Decodes the PNGs Chromium writes (8-bit RGB or RGBA, not interlaced) with node:zlib. */
export const decodePng = (file: Buffer): Image => {
  if (file.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let offset = 8; offset < file.length; ) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) throw new Error(`unsupported PNG (depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      pixels[y * stride + x] = (row[x]! + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
};

/** Brightness statistics of an image: how many distinct colours, and the variance of the brightness. */
export const imageStats = ({ width, height, channels, pixels }: Image): { colours: number; variance: number } => {
  const colours = new Set<number>();
  let sum = 0;
  let squares = 0;
  const count = width * height;
  for (let index = 0; index < count; index += 1) {
    const [r, g, b] = [pixels[index * channels]!, pixels[index * channels + 1]!, pixels[index * channels + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    const brightness = (r * 299 + g * 587 + b * 114) / 1000;
    sum += brightness;
    squares += brightness * brightness;
  }
  const mean = sum / count;
  return { colours: colours.size, variance: squares / count - mean * mean };
};
