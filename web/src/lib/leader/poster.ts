// The leader's share poster: a PNG drawn in the browser (the phone has the fonts), with a
// QR code of the leader's link, ready to save and send into a neighbourhood group chat.
import QRCode from 'qrcode';
import { brandCanvas, posterFont as font, posterPng, wrapText } from '../share/poster-canvas.ts';

export interface PosterInput {
  shopName: string;
  title: string;
  when: string;
  leaderName: string;
  link: string;
  cta: string;
  scanHint: string;
}

const W = 750;
const H = 1200;

export async function drawPoster(input: PosterInput): Promise<Blob> {
  const { canvas, ctx } = brandCanvas(W, H, 0.55);
  const wrap = (text: string) => wrapText((t) => ctx.measureText(t).width, text, W - 112, 3);

  ctx.fillStyle = '#fff';
  ctx.font = font(34, 600);
  ctx.fillText('邻里直播 · Linli Live', 56, 90);
  ctx.font = font(60, 700);
  let y = 200;
  for (const line of wrap(input.shopName)) {
    ctx.fillText(line, 56, y);
    y += 72;
  }
  ctx.font = font(40, 600);
  y += 10;
  for (const line of wrap(input.title)) {
    ctx.fillText(line, 56, y);
    y += 54;
  }
  ctx.font = font(32);
  ctx.fillStyle = '#fff7ed';
  ctx.fillText(input.when, 56, y + 10);

  // the white card with the QR code
  const cardY = 560;
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.roundRect(56, cardY, W - 112, 560, 32);
  ctx.fill();
  const qr = document.createElement('canvas');
  await QRCode.toCanvas(qr, input.link, { width: 340, margin: 1, errorCorrectionLevel: 'M' });
  ctx.drawImage(qr, (W - 340) / 2, cardY + 40);
  ctx.fillStyle = '#9a3412';
  ctx.font = font(34, 700);
  ctx.textAlign = 'center';
  ctx.fillText(input.cta, W / 2, cardY + 430);
  ctx.fillStyle = '#57534e';
  ctx.font = font(28);
  ctx.fillText(`${input.leaderName} · ${input.scanHint}`, W / 2, cardY + 480);
  ctx.font = font(22);
  ctx.fillText(input.link, W / 2, cardY + 525);

  return posterPng(canvas);
}
