import { describe, expect, it } from 'vitest';
import { itemSize, writeUnits } from '../../../bench/dynamodb-item-size.ts';

describe('DynamoDB item size, as billed', () => {
  it('counts attribute names and UTF-8 string bytes', () => {
    expect(itemSize({ pk: { S: 'TICKET#1' }, subject: { S: 'Olá' } })).toBe(2 + 8 + 7 + 4);
  });

  it('counts numbers by significant digits, and lists and maps with their overhead', () => {
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
  });

  it('bills a write per started kilobyte, at least one, and doubles it in a transaction', () => {
    expect(writeUnits(10, false)).toBe(1);
    expect(writeUnits(1025, false)).toBe(2);
    expect(writeUnits(1025, true)).toBe(4);
  });
});
