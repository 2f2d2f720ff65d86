import { describe, expect, it } from 'vitest';
import { createRandom } from './column-stats';
import { parseNumberBytes, parseNumberText } from './parse-number';

const parse = (s: string): number => {
  const b = Buffer.from(s);
  return parseNumberBytes(b, 0, b.length);
};

describe('parseNumberBytes', () => {
  it('returns exactly what Number() returns for decimal strings', () => {
    const rnd = createRandom(1);
    const cases = ['0', '-0', '1', '+1', '3.14', '.5', '5.', '1e3', '1E-3', '-2.5e+10', '123456789012345678901234', '0.1000000000000000055511151231257827', '9007199254740993', '1e308', '4.9e-324', '0.000001234'];
    for (let i = 0; i < 20000; i++) {
      const mag = Math.pow(10, Math.floor(rnd() * 30) - 15);
      const v = (rnd() - 0.5) * mag;
      cases.push(v.toString(), v.toFixed(Math.floor(rnd() * 10)), v.toExponential(Math.floor(rnd() * 16)), String(Math.floor(rnd() * 1e6)));
    }
    for (const s of cases) expect(Object.is(parse(s), Number(s)) || (parse(s) === 0 && Number(s) === 0)).toBe(true);
  });

  it('rejects non-numbers and hex, tolerates surrounding spaces', () => {
    for (const s of ['', 'abc', '1.2.3', '0x10', '1e', '--1', '1,5', '12abc', '.', '-']) expect(parse(s)).toBeNaN();
    expect(parse(' 42 ')).toBe(42);
    expect(parse('-inf')).toBe(-Infinity);
  });

  it('agrees with parseNumberText', () => {
    for (const s of ['1.5', ' 7', 'x', '1e5', '']) expect(Object.is(parseNumberText(s), parse(s))).toBe(true);
  });
});
