// Client-side checks mirroring the API's rules for sign-up and log-in, so most mistakes are
// explained next to the field before a request is made. The API stays the authority.
import type { MessageKey, MessageValues } from '../i18n';

export const NAME_MAX_LENGTH = 40;
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

export interface FieldError {
  key: MessageKey;
  values?: MessageValues;
}

// Deliberately loose (something@something.something): the API does the real check.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkName(name: string): FieldError | null {
  const trimmed = name.trim();
  if (trimmed === '') return { key: 'validation.nameRequired' };
  if ([...trimmed].length > NAME_MAX_LENGTH) {
    return { key: 'validation.nameTooLong', values: { max: NAME_MAX_LENGTH } };
  }
  return null;
}

export function checkEmail(email: string): FieldError | null {
  const trimmed = email.trim();
  if (trimmed === '') return { key: 'validation.emailRequired' };
  if (trimmed.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(trimmed)) {
    return { key: 'validation.emailInvalid' };
  }
  return null;
}

/** Sign-up enforces the length rules; log-in only needs something typed. */
export function checkPassword(password: string, purpose: 'signup' | 'login'): FieldError | null {
  if (password === '') return { key: 'validation.passwordRequired' };
  if (purpose === 'signup' && password.length < PASSWORD_MIN_LENGTH) {
    return { key: 'validation.passwordTooShort', values: { min: PASSWORD_MIN_LENGTH } };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { key: 'validation.passwordTooLong', values: { max: PASSWORD_MAX_LENGTH } };
  }
  return null;
}

/**
 * Where to go after logging in: only a path on this site, so a crafted link cannot send a
 * freshly signed-in user to another origin.
 */
export function safeRedirectTarget(raw: string | null, origin: string): string {
  if (raw === null || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return '/';
  }
  try {
    const url = new URL(raw, origin);
    if (url.origin !== origin) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
