import { describe, expect, it } from 'vitest';
import { detectIndentStyle, reindentAdded, type IndentStyle } from './reindent.js';

const styles = (patch: IndentStyle, file: IndentStyle) => () => ({ patch, file });
const TWO: IndentStyle = { unit: 'space', width: 2 };
const FOUR: IndentStyle = { unit: 'space', width: 4 };
const TAB: IndentStyle = { unit: 'tab', width: 4 };

describe('detectIndentStyle', () => {
  it('tells tabs from spaces and finds the common step, ignoring doc-comment alignment', () => {
    expect(detectIndentStyle(['a {', '\tb {', '\t\tc;', '\t}', '}'])).toEqual(TAB);
    expect(detectIndentStyle(['class A {', '    /**', '     * doc', '     */', '    run() {', '        go();', '    }', '}'])).toEqual(FOUR);
    expect(detectIndentStyle(['a', '  b', '    c', '  d'])).toEqual(TWO);
    expect(detectIndentStyle(['no indentation at all'])).toEqual(TWO);
  });
});

describe('reindentAdded', () => {
  it('leaves added lines alone when the matched lines agree on indentation', () => {
    const added = ['      odd();', '\tmixed();'];
    expect(reindentAdded(added, [{ patch: '  a', file: '  a' }], () => {
      throw new Error('styles are not needed');
    })).toEqual(added);
  });

  it('maps known depths through what the matched lines show', () => {
    const pairs = [
      { patch: '    if (x) {', file: '\tif (x) {' },
      { patch: '        go();', file: '\t\tgo();' },
    ];
    expect(reindentAdded(['        stop();', '    }'], pairs, styles(FOUR, TAB))).toEqual(['\t\tstop();', '\t}']);
  });

  it('scales other depths by the two widths and keeps alignment spaces', () => {
    const pairs = [{ patch: '  run() {', file: '    run() {' }];
    expect(reindentAdded(['      deep();', '   * doc'], pairs, styles(TWO, FOUR))).toEqual(['            deep();', '     * doc']);
  });

  it('keeps a whole-hunk shift', () => {
    const pairs = [
      { patch: 'go();', file: '    go();' },
      { patch: '  inner();', file: '      inner();' },
    ];
    expect(reindentAdded(['    deeper();', ''], pairs, styles(TWO, TWO))).toEqual(['        deeper();', '']);
  });
});
