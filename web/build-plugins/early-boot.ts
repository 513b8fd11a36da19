// Tells the server which files the watch page's first script is (lib/live/early-boot.ts and
// every chunk it imports), so the page can load it ahead of SvelteKit's start. Their names
// are hashed and known only once the client is built, after the server code: the server
// code holds a placeholder string, replaced here in the built server files, the way
// SvelteKit fills in its own manifest. In dev nothing replaces it, and the page starts the
// room from hooks.client.ts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** The placeholder hooks.server.ts holds (EARLY_BOOT_FILES), replaced here by the names. */
export const EARLY_BOOT_PLACEHOLDER = '__LINLI_EARLY_BOOT_FILES__';

const BOOT_MODULE = '/src/lib/live/early-boot.ts';

function* jsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

export function earlyBoot(serverOutDir: string): Plugin {
  let files: string[] | null = null;
  return {
    name: 'linli:early-boot',
    apply: 'build',
    generateBundle(_options, bundle) {
      if (this.environment.name !== 'client') return;
      const boot = Object.values(bundle).find(
        (out) => out.type === 'chunk' && out.facadeModuleId?.endsWith(BOOT_MODULE),
      );
      if (boot?.type !== 'chunk') {
        this.error(`no chunk for ${BOOT_MODULE}: hooks.client.ts must import it dynamically`);
      }
      // its static imports, deepest first: the order the browser should ask for them
      const ordered: string[] = [];
      const visit = (fileName: string) => {
        if (ordered.includes(fileName)) return;
        const chunk = bundle[fileName];
        if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
        ordered.push(fileName);
      };
      visit(boot.fileName);
      files = ordered;
    },
    writeBundle() {
      if (this.environment.name !== 'client' || !files) return;
      const placeholder = new RegExp(`(["'\`])${EARLY_BOOT_PLACEHOLDER}\\1`, 'g');
      let replaced = 0;
      for (const path of jsFiles(serverOutDir)) {
        const code = readFileSync(path, 'utf8');
        if (!code.includes(EARLY_BOOT_PLACEHOLDER)) continue;
        writeFileSync(path, code.replace(placeholder, JSON.stringify(files)));
        replaced++;
      }
      if (replaced === 0) this.error(`${EARLY_BOOT_PLACEHOLDER} is in no server file`);
    },
  };
}
