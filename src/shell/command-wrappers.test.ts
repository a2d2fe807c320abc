import { describe, expect, it } from 'vitest';
import { unwrap } from './command-wrappers.js';
import { literalField, unknownField } from './fields.js';

const fields = (text: string) => text.split(' ').map((word) => literalField(word));
const programs = (text: string): (string | null)[] => {
  const argv = fields(text);
  return unwrap(argv).map((reading) => (reading.index < 0 ? null : argv[reading.index]!.value));
};

describe('unwrap', () => {
  it.each([
    ['rm -rf x', 'rm'],
    ['sudo -u root -E rm x', 'rm'],
    ['sudo -Eu root rm x', 'rm'],
    ['env -i A=1 B=2 rm x', 'rm'],
    ['nohup nice -n 5 timeout -s KILL 5s rm x', 'rm'],
    ['xargs -0 -n 1 rm', 'rm'],
    ['npx -y rimraf dist', 'rimraf'],
    ['pnpm exec eslint .', 'eslint'],
    ['poetry run pytest', 'pytest'],
    ['time -p make', 'make'],
  ])('%s runs %s', (text, program) => {
    expect(programs(text)).toEqual([program]);
  });

  it('knows wrappers that run nothing (`command -v`, `xargs` alone)', () => {
    expect(programs('command -v rm')).toEqual([null]);
    expect(unwrap(fields('env'))[0]).toMatchObject({ index: -1, wrappers: ['env'] });
  });

  it('collects script options, working directories and xargs input', () => {
    expect(unwrap(fields('env -S ls'))[0]!.scripts.map((field) => field.value)).toEqual(['ls']);
    expect(unwrap(fields('sudo -D /tmp rm x'))[0]!.chdir?.value).toBe('/tmp');
    expect(unwrap(fields('xargs -0 -I {} rm {}'))[0]!.input).toEqual({ replace: '{}', nullSeparated: true });
    expect(unwrap(fields('sudo -s rm -rf x'))[0]!.scripts.map((field) => field.value)).toEqual(['rm -rf x']);
  });

  it('stops at an unknown word where it expected an option or the program', () => {
    expect(unwrap([literalField('sudo'), unknownField('$FLAGS'), literalField('rm')])[0]!.dynamic?.text).toBe('$FLAGS');
  });
});
