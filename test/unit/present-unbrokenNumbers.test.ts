import { describe, expect, it } from 'vitest';

import { unbrokenNumbers } from '../../src/present/unbrokenNumbers.js';

describe('phone numbers kept on one line', () => {
  it('joins the groups of each number with non-breaking spaces and leaves the words around them breakable', () => {
    expect(unbrokenNumbers('An international number such as +44 7700 900000, or a national one such as 07700 900000 (United Kingdom).')).toBe(
      'An international number such as +44\u00a07700\u00a0900000, or a national one such as 07700\u00a0900000 (United Kingdom).',
    );
  });

  it('keeps a bracketed area code with its number, and a text without numbers as it is', () => {
    expect(unbrokenNumbers('such as (201) 555-0123 (United States).')).toBe('such as (201)\u00a0555-0123 (United States).');
    expect(unbrokenNumbers('International format only.')).toBe('International format only.');
  });
});
