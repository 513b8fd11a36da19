import { loadConfig } from '../server/config';
import { ensureLivekitBinary, startLivekit } from '../media/livekit-process';

// `npm run livekit`: obtain (build once) and run the local livekit-server in the foreground.
const config = loadConfig();
const running = await startLivekit({
  binary: ensureLivekitBinary(),
  apiKey: config.LIVEKIT_API_KEY,
  apiSecret: config.LIVEKIT_API_SECRET,
  webhookUrl: `http://127.0.0.1:${config.PORT}/api/livekit/webhook`,
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`livekit-server answers at ${running.url}; Ctrl-C stops it\n`);
const stop = () => void running.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
