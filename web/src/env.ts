import { defineEnvVars } from '@sveltejs/kit/env';

const optional = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

export const variables = defineEnvVars({
  INTERNAL_API_URL: {
    description:
      'Base URL the SvelteKit server uses to reach the API (no trailing slash). Defaults to this same process on PORT.',
    schema: (value) => optional(value)?.replace(/\/+$/, ''),
  },
  PORT: {
    description: 'Port of the process serving the app (the API and the pages share it).',
    schema: (value) => {
      const port = optional(value);
      if (port === undefined) return 3000;
      const parsed = Number(port);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
        throw new Error('PORT must be an integer between 1 and 65535');
      }
      return parsed;
    },
  },
});
