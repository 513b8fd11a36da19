// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '#lib/i18n/locales.ts';

declare global {
  namespace App {
    interface Error {
      /** Machine-readable reason the error page uses to pick its (translated) text. */
      code?: 'shop_not_found' | 'api_unavailable';
    }
    interface Locals {
      /** UI language for this request, from the `linli_lang` cookie (zh-CN by default). */
      locale: Locale;
      /**
       * This page joins its LiveKit room before SvelteKit starts (lib/live/early-boot.ts):
       * a live stream's watch page with the viewer's token. Set by the page's load.
       */
      earlyRoom?: boolean;
    }
  }
}

export {};
