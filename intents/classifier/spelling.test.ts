import { describe, expect, test } from 'vitest';
import { glossTokens } from './glossary.js';
import { editDistance, Speller } from './spelling.js';

const TRAINED = [
  'I want to make a warranty claim',
  'is my laptop still under warranty',
  'the warranty on my speaker',
  'where is my order',
  'my package was delivered but I never received it',
  'I want to cancel my order',
  'the card was declined',
];

describe('spelling normalisation before classification', () => {
  const speller = new Speller(TRAINED);

  test.each([
    ['warenty', 'warranty'],
    ['warrnaty', 'warranty'],
    ['recieved', 'received'],
    ['delivred', 'delivered'],
  ])('"%s" is read as the trained "%s"', (typed, meant) => {
    expect(speller.correct(typed)).toBe(meant);
  });

  test.each([
    ['delivered', 'a trained word stays as it is'],
    ['cord', 'short words are never corrected ("cord" is not "card")'],
    ['xkcdblorp', 'a word near nothing trained'],
    ['arranty', 'the first letter is kept'],
    ['laptops', 'an inflection of a trained word'],
  ])('"%s" is left alone: %s', (typed) => {
    expect(speller.correct(typed)).toBeNull();
  });

  test('a message keeps its numbers and reads misspelt words as trained ones', () => {
    expect(speller.normalize('warenty claim pls, order 100043')).toBe('warranty claim pls order 000000');
    expect(speller.normalize('where is my order')).toBe('where is my order');
  });

  test("the shop's words in other languages are read as the English ones", () => {
    expect(glossTokens(['je', 'veux', 'annuler', 'ma', 'commande'])).toEqual(['je', 'veux', 'cancel', 'ma', 'order']);
    expect(glossTokens(['wie', 'lange', 'dauert', 'die', 'lieferung'])).toEqual(['how long', 'dauert', 'die', 'delivery']);
    expect(glossTokens(['constructor', 'tostring'])).toEqual(['constructor', 'tostring']);
    expect(speller.normalize('je voudrais un cafe')).toBe('je voudrais un cafe');
  });

  test('edit distance counts a swap of neighbouring letters as one edit and stops past the limit', () => {
    expect(editDistance('chnaged', 'changed', 2)).toBe(1);
    expect(editDistance('warenty', 'warranty', 2)).toBe(2);
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});
