import { describe, expect, it } from 'vitest';
import { checkEmail, checkName, checkPassword, safeRedirectTarget } from './validation';

describe('sign-up field checks', () => {
  it('requires a name of at most 40 characters, counting Chinese characters once each', () => {
    expect(checkName('  ')?.key).toBe('validation.nameRequired');
    expect(checkName('王'.repeat(40))).toBeNull();
    expect(checkName('王'.repeat(41))?.key).toBe('validation.nameTooLong');
  });

  it('asks for something shaped like an email', () => {
    expect(checkEmail('')?.key).toBe('validation.emailRequired');
    expect(checkEmail('owner@demo')?.key).toBe('validation.emailInvalid');
    expect(checkEmail(' owner@demo.linli.live ')).toBeNull();
  });

  it('enforces the password length only when signing up', () => {
    expect(checkPassword('', 'login')?.key).toBe('validation.passwordRequired');
    expect(checkPassword('short', 'login')).toBeNull();
    expect(checkPassword('short', 'signup')).toEqual({
      key: 'validation.passwordTooShort',
      values: { min: 8 },
    });
    expect(checkPassword('long enough', 'signup')).toBeNull();
  });
});

describe('safeRedirectTarget', () => {
  const origin = 'https://linli.example';

  it('keeps paths on this site', () => {
    expect(safeRedirectTarget('/shop/wangji-fruit?x=1#top', origin)).toBe(
      '/shop/wangji-fruit?x=1#top',
    );
  });

  it.each([
    null,
    '',
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
  ])('falls back to / for %s', (raw) => {
    expect(safeRedirectTarget(raw, origin)).toBe('/');
  });
});
