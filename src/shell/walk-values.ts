import { expandWord } from './expand.js';
import type { Field } from './fields.js';
import type { ShPart, ShScript, ShWord } from './shell-ast.js';
import type { ShellState, VarValue } from './shell-state.js';
import type { Frame, Walker } from './walker.js';

/** Values the walker derives from words: positional parameters, `for` values, and the scripts nested in words. */

export function positionalOf(fields: readonly Field[]): ShellState['positional'] {
  return {
    list: fields.map((field) => ({ values: field.value === null ? null : [field.value], tainted: field.tainted, remote: field.remote, exported: false })),
    more: fields.some((field) => field.value === null),
  };
}

/** The values a `for` variable takes: every field of the words, or unknown when one is. */
export function loopValues(walker: Walker, words: readonly ShWord[] | null, frame: Frame): Omit<VarValue, 'exported'> {
  if (words === null) {
    const { list, more } = frame.state.positional;
    const values = list.flatMap((value) => value.values ?? []);
    return { values: more || list.some((value) => value.values === null) ? null : values, tainted: list.some((v) => v.tainted), remote: false };
  }
  const fields = expandLoopWords(walker, words, frame);
  return {
    values: fields.some((field) => field.value === null) ? null : fields.map((field) => field.value!),
    tainted: fields.some((field) => field.tainted),
    remote: fields.some((field) => field.remote),
  };
}

function expandLoopWords(walker: Walker, words: readonly ShWord[], frame: Frame): Field[] {
  const subs = walker.walkWords(words, frame);
  const context = { state: frame.state, substitution: (script: ShScript) => subs.get(script) ?? walker.substitute(script, frame) };
  return words.flatMap((word) => expandWord(word, context).flat());
}

/** Every script nested in these words: substitutions, and those inside parameter operands or arithmetic. */
export function nestedScripts(words: readonly ShWord[]): ShScript[] {
  const scripts: ShScript[] = [];
  const visitWord = (word: ShWord): void => {
    for (const part of word.parts) visitPart(part);
    if (word.assignment) {
      if (word.assignment.value) visitWord(word.assignment.value);
      word.assignment.elements.forEach(visitWord);
    }
  };
  const visitPart = (part: ShPart): void => {
    switch (part.type) {
      case 'command-sub':
      case 'process-sub':
        scripts.push(part.script);
        return;
      case 'param':
        if (part.operand) visitWord(part.operand);
        part.inner.forEach(visitWord);
        return;
      case 'arith':
      case 'opaque':
        part.words.forEach(visitWord);
        return;
      default:
        return;
    }
  };
  words.forEach(visitWord);
  return scripts;
}
