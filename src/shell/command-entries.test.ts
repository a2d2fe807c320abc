import { describe, expect, it } from 'vitest';
import { compileEntry, entryProblem } from './command-entries.js';

describe('command entries (safety.forbidden_commands / allowed_commands)', () => {
  it('compiles an entry into the shapes of the commands it names, wrappers and shells looked through', () => {
    const entry = compileEntry("sudo bash -c 'rm -rf /'", '/repo');
    expect(entry.ok && entry.shapes.map((shape) => [shape.program, [...shape.flags], shape.words.map((word) => word.value)])).toEqual([['rm', ['-r', '-f'], ['/']]]);
  });

  it('says what is wrong with an entry that is not a literal command', () => {
    expect(entryProblem('kubectl delete namespace')).toBeNull();
    expect(entryProblem('rm -rf "/')).toMatch(/^expected a shell command line \(unterminated double quote\)$/);
    expect(entryProblem('rm -rf $TARGET')).toBe('expected a literal command (no variables or command substitutions)');
    expect(entryProblem('$(echo rm) -rf /')).toBe('expected a literal command (no variables or command substitutions)');
    expect(entryProblem('# only a comment')).toBe('expected a command');
  });
});
