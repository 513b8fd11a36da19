// A leader's poster for one stream: a phone-shaped PNG drawn in the browser (the phone has
// the fonts), with the cover, the title, the time, the leader's name and a QR code of the
// leader's own link, to save and send into a neighbourhood group chat.
import QRCode from 'qrcode';
import { brandCanvas, posterFont as font, posterPng, wrapText } from './poster-canvas.ts';

export interface StreamPosterInput {
  shopName: string;
  title: string;
  /** "正在直播" / the start time / "可下单至 …" */
  when: string;
  /** a badge over the picture: 直播中 / 即将开播 / 回放 */
  badge: string;
  badgeTone: 'live' | 'scheduled' | 'ended';
  /** same-origin picture (cover, else the offer's product); null: the brand gradient */
  imageUrl: string | null;
  link: string;
  cta: string;
  invite: string;
  brand: string;
}

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1334;
const W = POSTER_WIDTH;
const H = POSTER_HEIGHT;
const PAD = 48;

/**
 * An SVG with a viewBox but no width and height has no size of its own, and a canvas draws
 * it at 300×150: give it its viewBox's size (×3, to stay sharp) before drawing it.
 */
export function sizedSvg(svg: string): string {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!open || /\swidth=/.test(open)) return svg;
  const box = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(open);
  if (!box) return svg;
  const sized = open.replace(
    '<svg',
    `<svg width="${Number(box[1]) * 3}" height="${Number(box[2]) * 3}"`,
  );
  return svg.replace(open, sized);
}

async function loadImage(url: string): Promise<HTMLImageElement | null> {
  let src = url;
  try {
    if (new URL(url, location.href).pathname.endsWith('.svg')) {
      const res = await fetch(url);
      if (!res.ok) return null;
      // revoked by the caller once drawn
      src = URL.createObjectURL(new Blob([sizedSvg(await res.text())], { type: 'image/svg+xml' }));
    }
    const img = new Image();
    img.src = src;
    await img.decode();
    return img;
  } catch {
    if (src !== url) URL.revokeObjectURL(src);
    return null; // a missing picture leaves the gradient: the poster still works
  }
}

/** Draws `img` to fill the box, cropping the overflow (CSS object-fit: cover). */
function drawCover(
  ctx: CanvasRenderingContext2D,
  img: HTMLImageElement,
  x: number,
  y: number,
  w: number,
  h: number,
) {
  const iw = img.naturalWidth || w;
  const ih = img.naturalHeight || h;
  const scale = Math.max(w / iw, h / ih);
  const sw = w / scale;
  const sh = h / scale;
  ctx.drawImage(img, (iw - sw) / 2, (ih - sh) / 2, sw, sh, x, y, w, h);
}

const BADGE_COLOURS = { live: '#e11d48', scheduled: '#ea580c', ended: '#57534e' } as const;

export async function drawStreamPoster(input: StreamPosterInput): Promise<Blob> {
  const { canvas, ctx } = brandCanvas(W, H, 0.5);

  // the brand line
  ctx.fillStyle = '#fff';
  ctx.font = font(30, 700);
  ctx.fillText(input.brand, PAD, 72);
  ctx.font = font(28, 600);
  ctx.textAlign = 'right';
  ctx.fillText(
    wrapText((t) => ctx.measureText(t).width, input.shopName, 380, 1)[0] ?? '',
    W - PAD,
    72,
  );
  ctx.textAlign = 'left';

  // the picture, with rounded corners and the status badge
  const picY = 104;
  const picH = 520;
  const picW = W - 2 * PAD;
  ctx.save();
  ctx.beginPath();
  ctx.roundRect(PAD, picY, picW, picH, 28);
  ctx.clip();
  const img = input.imageUrl ? await loadImage(input.imageUrl) : null;
  if (img) {
    drawCover(ctx, img, PAD, picY, picW, picH);
    if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  } else {
    const glow = ctx.createRadialGradient(W * 0.7, picY + 80, 20, W * 0.7, picY + 80, 420);
    glow.addColorStop(0, 'rgb(255 255 255 / 0.45)');
    glow.addColorStop(1, 'rgb(255 255 255 / 0.08)');
    ctx.fillStyle = glow;
    ctx.fillRect(PAD, picY, picW, picH);
    ctx.fillStyle = '#fff';
    ctx.font = font(120, 800);
    ctx.textAlign = 'center';
    ctx.fillText([...input.shopName][0] ?? '邻', W / 2, picY + picH / 2 + 42);
    ctx.textAlign = 'left';
  }
  ctx.restore();
  ctx.font = font(28, 700);
  const badgeW = ctx.measureText(input.badge).width + 36;
  ctx.fillStyle = BADGE_COLOURS[input.badgeTone];
  ctx.beginPath();
  ctx.roundRect(PAD + 20, picY + 20, badgeW, 48, 24);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.fillText(input.badge, PAD + 38, picY + 54);

  // the title and the time
  let y = picY + picH + 70;
  ctx.fillStyle = '#fff';
  ctx.font = font(46, 800);
  for (const line of wrapText((t) => ctx.measureText(t).width, input.title, W - 2 * PAD, 2)) {
    ctx.fillText(line, PAD, y);
    y += 58;
  }
  ctx.font = font(32, 600);
  ctx.fillStyle = '#fff7ed';
  ctx.fillText(
    wrapText((t) => ctx.measureText(t).width, input.when, W - 2 * PAD, 1)[0] ?? '',
    PAD,
    y + 4,
  );

  // the white card: QR code, the call to action, who invites
  const cardY = 900;
  const cardH = H - cardY - PAD;
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.roundRect(PAD, cardY, W - 2 * PAD, cardH, 28);
  ctx.fill();
  const qrSize = 300;
  const qr = document.createElement('canvas');
  await QRCode.toCanvas(qr, input.link, { width: qrSize, margin: 1, errorCorrectionLevel: 'M' });
  const qrX = PAD + 28;
  const qrY = cardY + (cardH - qrSize) / 2;
  ctx.drawImage(qr, qrX, qrY, qrSize, qrSize);
  const textX = qrX + qrSize + 28;
  const textW = W - PAD - 28 - textX;
  ctx.fillStyle = '#9a3412';
  ctx.font = font(34, 800);
  let ty = qrY + 60;
  for (const line of wrapText((t) => ctx.measureText(t).width, input.cta, textW, 3)) {
    ctx.fillText(line, textX, ty);
    ty += 46;
  }
  ctx.fillStyle = '#44403c';
  ctx.font = font(26, 600);
  ty += 16;
  for (const line of wrapText((t) => ctx.measureText(t).width, input.invite, textW, 2)) {
    ctx.fillText(line, textX, ty);
    ty += 38;
  }

  return posterPng(canvas);
}
