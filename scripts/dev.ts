import { spawn, type ChildProcess } from 'node:child_process';
import { loadConfig } from '../server/config';
import { ensureLivekitBinary, startLivekit, type RunningLivekit } from '../media/livekit-process';

// Development: livekit-server once, the API under `tsx watch` (restarts on every server
// change), and `vite dev` (hot module reload for the pages) proxying /api and /socket.io to
// the API. The browser still sees one origin: http://localhost:PORT.

const config = loadConfig();
const apiPort = Number(process.env.API_PORT ?? config.PORT + 1);
const children: ChildProcess[] = [];
let livekit: RunningLivekit | null = null;

async function main() {
  let livekitUrl = config.LIVEKIT_URL;
  if (!livekitUrl) {
    livekit = await startLivekit({
      binary: ensureLivekitBinary(),
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
      webhookUrl: `http://127.0.0.1:${apiPort}/api/livekit/webhook`,
    });
    livekitUrl = livekit.url;
  }
  const env = {
    ...process.env,
    LIVEKIT_URL: livekitUrl,
    API_PORT: String(apiPort),
    INTERNAL_API_URL: `http://127.0.0.1:${apiPort}`,
  };
  children.push(
    spawn('tsx', ['watch', '--clear-screen=false', 'server/main.ts'], {
      stdio: 'inherit',
      env: { ...env, PORT: String(apiPort), API_ONLY: '1', HOST: '127.0.0.1' },
    }),
    spawn('vite', ['dev', '--port', String(config.PORT), '--strictPort'], {
      cwd: 'web',
      stdio: 'inherit',
      env: { ...env, PORT: String(config.PORT) },
    }),
  );
  for (const child of children) child.on('exit', () => void stop());
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await livekit?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  void stop();
});
