// The leader's share poster: a PNG drawn in the browser (the phone has the fonts), with a
// QR code of the leader's link, ready to save and send into a neighbourhood group chat.
import QRCode from 'qrcode';

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

function wrap(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of [...text]) {
    if (ctx.measureText(line + ch).width > maxWidth && line) {
      lines.push(line);
      line = ch;
    } else {
      line += ch;
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}

export async function drawPoster(input: PosterInput): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  const font = (size: number, weight = 400) =>
    `${weight} ${size}px "PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif`;

  const bg = ctx.createLinearGradient(0, 0, W, H);
  bg.addColorStop(0, '#fbbf24');
  bg.addColorStop(0.55, '#ea580c');
  bg.addColorStop(1, '#9a3412');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);

  ctx.fillStyle = '#fff';
  ctx.font = font(34, 600);
  ctx.fillText('邻里直播 · Linli Live', 56, 90);
  ctx.font = font(60, 700);
  let y = 200;
  for (const line of wrap(ctx, input.shopName, W - 112)) {
    ctx.fillText(line, 56, y);
    y += 72;
  }
  ctx.font = font(40, 600);
  y += 10;
  for (const line of wrap(ctx, input.title, W - 112)) {
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

  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'),
  );
}
