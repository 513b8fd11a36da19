// What the share posters (a leader's, a stream's) draw alike: the canvas, the fonts, the
// brand gradient, lines wrapped to a width, and the PNG.

const FONTS =
  '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif';

/** A canvas font: the phone's Chinese fonts first. */
export const posterFont = (size: number, weight = 400) => `${weight} ${size}px ${FONTS}`;

/** A `width`×`height` canvas filled with the brand gradient, amber to persimmon to brown. */
export function brandCanvas(
  width: number,
  height: number,
  /** where the gradient is persimmon, 0–1 along the diagonal */
  middle: number,
): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  const bg = ctx.createLinearGradient(0, 0, width, height);
  bg.addColorStop(0, '#fbbf24');
  bg.addColorStop(middle, '#ea580c');
  bg.addColorStop(1, '#9a3412');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, width, height);
  return { canvas, ctx };
}

/** Lines of at most `maxWidth`, breaking anywhere (Chinese has no spaces); `max` lines, the last with "…". */
export function wrapText(
  measure: (text: string) => number,
  text: string,
  maxWidth: number,
  max: number,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of [...text]) {
    if (measure(line + ch) > maxWidth && line) {
      lines.push(line);
      line = ch.trim() ? ch : '';
    } else {
      line += ch;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = kept[max - 1] ?? '';
  while (last && measure(`${last}…`) > maxWidth) last = [...last].slice(0, -1).join('');
  kept[max - 1] = `${last}…`;
  return kept;
}

/** The canvas as a PNG. */
export function posterPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'),
  );
}
