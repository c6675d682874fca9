import type { I420Frame } from './webrtc.ts';

/** How many mouth openings are drawn in advance; speech picks one per frame by loudness. */
export const MOUTH_LEVELS = 8;

type Rgb = readonly [number, number, number];
type Yuv = readonly [number, number, number];

const BACKGROUND_TOP: Rgb = [214, 228, 247];
const BACKGROUND_BOTTOM: Rgb = [160, 186, 226];
const SKIN: Rgb = [241, 198, 165];
const HAIR: Rgb = [92, 58, 44];
const EYE_WHITE: Rgb = [250, 250, 250];
const IRIS: Rgb = [70, 110, 150];
const PUPIL: Rgb = [25, 25, 35];
const CHEEK: Rgb = [236, 164, 150];
const LIPS: Rgb = [190, 90, 95];
const MOUTH_INSIDE: Rgb = [90, 30, 40];
const SHIRT: Rgb = [58, 92, 170];

/** BT.601 limited range, what WebRTC's encoders expect. */
function toYuv([r, g, b]: Rgb): Yuv {
  return [
    Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b),
    Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b),
    Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b),
  ];
}

/** A frame being drawn: I420 planes, with shapes filled in luma at full size and chroma at half. */
class I420Canvas {
  readonly data: Uint8Array;
  private readonly chromaWidth: number;
  private readonly uOffset: number;
  private readonly vOffset: number;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.chromaWidth = width >> 1;
    this.uOffset = width * height;
    this.vOffset = this.uOffset + this.chromaWidth * (height >> 1);
    this.data = new Uint8Array(this.vOffset + this.chromaWidth * (height >> 1));
  }

  /** Fills the ellipse centred at (cx, cy) — all in fractions of the frame — with a colour. */
  ellipse(cx: number, cy: number, rx: number, ry: number, colour: Rgb, keep?: (fx: number, fy: number) => boolean): void {
    const [y, u, v] = toYuv(colour);
    const { width, height } = this;
    const x0 = Math.max(0, Math.floor((cx - rx) * width));
    const x1 = Math.min(width - 1, Math.ceil((cx + rx) * width));
    const y0 = Math.max(0, Math.floor((cy - ry) * height));
    const y1 = Math.min(height - 1, Math.ceil((cy + ry) * height));
    for (let py = y0; py <= y1; py++) {
      const fy = (py + 0.5) / height;
      const dy = (fy - cy) / ry;
      for (let px = x0; px <= x1; px++) {
        const fx = (px + 0.5) / width;
        const dx = (fx - cx) / rx;
        if (dx * dx + dy * dy > 1 || (keep && !keep(fx, fy))) continue;
        this.data[py * width + px] = y;
        if ((px & 1) === 0 && (py & 1) === 0) {
          const chroma = (py >> 1) * this.chromaWidth + (px >> 1);
          this.data[this.uOffset + chroma] = u;
          this.data[this.vOffset + chroma] = v;
        }
      }
    }
  }

  verticalGradient(top: Rgb, bottom: Rgb): void {
    for (let py = 0; py < this.height; py++) {
      const t = py / (this.height - 1);
      const mix = (channel: 0 | 1 | 2) => top[channel] + (bottom[channel] - top[channel]) * t;
      const [y, u, v] = toYuv([mix(0), mix(1), mix(2)]);
      this.data.fill(y, py * this.width, (py + 1) * this.width);
      if ((py & 1) === 0) {
        const row = (py >> 1) * this.chromaWidth;
        this.data.fill(u, this.uOffset + row, this.uOffset + row + this.chromaWidth);
        this.data.fill(v, this.vOffset + row, this.vOffset + row + this.chromaWidth);
      }
    }
  }
}

function drawFace(width: number, height: number, mouthLevel: number, eyesClosed: boolean): Uint8Array {
  const canvas = new I420Canvas(width, height);
  canvas.verticalGradient(BACKGROUND_TOP, BACKGROUND_BOTTOM);
  canvas.ellipse(0.5, 0.8, 0.09, 0.12, SKIN); // neck
  canvas.ellipse(0.5, 1.05, 0.42, 0.22, SHIRT);
  canvas.ellipse(0.5, 0.42, 0.3, 0.34, HAIR);
  canvas.ellipse(0.5, 0.48, 0.24, 0.3, SKIN);
  canvas.ellipse(0.5, 0.24, 0.25, 0.12, HAIR, (_fx, fy) => fy < 0.3); // fringe
  for (const side of [-1, 1]) {
    const eyeX = 0.5 + side * 0.095;
    if (eyesClosed) {
      canvas.ellipse(eyeX, 0.45, 0.045, 0.008, PUPIL);
    } else {
      canvas.ellipse(eyeX, 0.45, 0.045, 0.03, EYE_WHITE);
      canvas.ellipse(eyeX, 0.452, 0.022, 0.024, IRIS);
      canvas.ellipse(eyeX, 0.452, 0.011, 0.012, PUPIL);
    }
    canvas.ellipse(eyeX, 0.405, 0.05, 0.008, HAIR); // brow
    canvas.ellipse(0.5 + side * 0.15, 0.56, 0.04, 0.025, CHEEK);
  }
  canvas.ellipse(0.5, 0.53, 0.018, 0.035, CHEEK); // nose
  const openness = mouthLevel / (MOUTH_LEVELS - 1);
  if (openness === 0) {
    // A resting smile: the lower half of a thin ellipse.
    canvas.ellipse(0.5, 0.625, 0.065, 0.022, LIPS, (_fx, fy) => fy > 0.627);
  } else {
    canvas.ellipse(0.5, 0.64, 0.05 + 0.015 * openness, 0.012 + 0.04 * openness, LIPS);
    canvas.ellipse(0.5, 0.64, 0.038 + 0.012 * openness, 0.006 + 0.032 * openness, MOUTH_INSIDE);
  }
  return canvas.data;
}

export interface FaceFrames {
  width: number;
  height: number;
  frame(mouthLevel: number, eyesClosed: boolean): I420Frame;
}

const drawnFaces = new Map<string, FaceFrames>();

/**
 * The persona's face at every mouth opening, eyes open and closed, drawn once per size and shared
 * by every session: per frame the engine only picks one.
 */
export function faceFrames(width: number, height: number): FaceFrames {
  const key = `${width}x${height}`;
  let faces = drawnFaces.get(key);
  if (!faces) {
    const frames = [false, true].map((eyesClosed) =>
      Array.from({ length: MOUTH_LEVELS }, (_, level) => ({ width, height, data: drawFace(width, height, level, eyesClosed) })),
    );
    faces = {
      width,
      height,
      frame: (mouthLevel, eyesClosed) => {
        const level = Math.max(0, Math.min(MOUTH_LEVELS - 1, Math.round(mouthLevel)));
        return frames[eyesClosed ? 1 : 0]![level]!;
      },
    };
    drawnFaces.set(key, faces);
  }
  return faces;
}
