import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type ProxyOptions } from 'vite';
import { earlyBoot } from './build-plugins/early-boot.ts';

// In development the API runs as its own process; the browser only ever talks to this
// dev server, so these prefixes are proxied to keep cookies and socket.io same-origin.
// changeOrigin stays false so the API sees the browser's Host and Origin (its
// same-origin check for unsafe requests depends on them).
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '3001'}`;
const toApi = (ws = false): ProxyOptions => ({ target: apiTarget, changeOrigin: false, ws });

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ out: 'build' }),
      // Page CSS goes into the HTML: a stylesheet blocks SvelteKit's start script, and with
      // it the watch page's early LiveKit connection. The watch page's own CSS is 18.5 KB,
      // so the threshold sits above it (bench:media, first frame).
      inlineStyleThreshold: 24_000,
      // The pages' Content-Security-Policy. SvelteKit adds a nonce (SSR) or hashes
      // (prerendered) to its own inline script and to the inlined page CSS above.
      // hooks.server.ts adds what depends on the deployment at run time (the LiveKit
      // server to connect-src) and the other security headers.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self'],
          // Style attributes only: SvelteKit's own `<div style="display: contents">`, and
          // `style:` directives and static `style="…"` that SSR writes into the HTML (the
          // offer card's progress bar). Hydration keeps those attributes as they are, so
          // blocking them breaks the layout. An attribute cannot run script or load
          // anything img-src/font-src would refuse; `<style>` elements still need the nonce.
          'style-src-attr': ['unsafe-inline'],
          'img-src': ['self', 'data:', 'blob:'],
          'media-src': ['self', 'blob:', 'mediastream:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'worker-src': ['self', 'blob:'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
    // the watch page's first script, named for the server (hooks.server.ts)
    earlyBoot(fileURLToPath(new URL('.svelte-kit/output/server', import.meta.url))),
  ],
  server: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? '3000'),
    strictPort: true,
    // The pages import the API's contracts (zod schemas) from ../server/contracts.
    fs: { allow: ['../server/contracts'] },
    proxy: {
      // Keys starting with ^ are regular expressions; a bare '/s' prefix would also
      // swallow /shop/… and /signup.
      '^/api(/|$)': toApi(),
      '^/s/': toApi(),
      '^/socket\\.io(/|$)': toApi(true),
    },
  },
});
