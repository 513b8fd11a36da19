import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    leafKeys(child, prefix === '' ? key : `${prefix}.${key}`),
  );
}

function placeholders(message: unknown): string[] {
  return typeof message === 'string'
    ? [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')
    : [];
}

function lookup(catalogue: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => {
    if (typeof node !== 'object' || node === null) return undefined;
    return Object.entries(node).find(([k]) => k === part)?.[1];
  }, catalogue);
}

describe('message catalogues', () => {
  it('have exactly the same keys in every language', () => {
    expect(leafKeys(en).sort()).toEqual(leafKeys(zhCN).sort());
  });

  it('use the same placeholders in every language', () => {
    for (const key of leafKeys(zhCN)) {
      expect(placeholders(lookup(en, key)).sort(), key).toEqual(
        placeholders(lookup(zhCN, key)).sort(),
      );
    }
  });

  it('have no empty messages', () => {
    for (const key of leafKeys(zhCN)) {
      expect(lookup(zhCN, key), key).not.toBe('');
      expect(lookup(en, key), key).not.toBe('');
    }
  });
});
