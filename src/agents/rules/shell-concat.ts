import { buildsString, firstArgument } from './code-text.js';
import { addedCode, finding, where, type Rule } from './rule.js';

/**
 * A command built from strings is a shell injection waiting for input: refuses process-spawning calls whose
 * command (first argument) is concatenated, interpolated or formatted. Argument arrays are fine. A `.exec(`
 * on anything that is not a child-process module is a RegExp (or similar) and not judged.
 */
const CALL =
  /(?:(?<object>[\w$]+)\s*\.\s*)?(?<fn>(?<![\w$])(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|execa|execaSync|execaCommand|execaCommandSync|system|popen|check_output|check_call|run|call|Popen|getoutput|getstatusoutput))\s*\(/g;
const PROCESS_MODULE = /^(?:child_?process|childProcess|cp|proc|shell|shelljs|sh|os|subprocess|commands)$/i;
/** Names that only mean "spawn" with an explicit module in front (`subprocess.run`, `os.system`). */
const NEEDS_MODULE = new Set(['run', 'call', 'Popen', 'check_output', 'check_call', 'getoutput', 'getstatusoutput', 'system', 'popen']);
const METHOD_ALSO_ELSEWHERE = new Set(['exec', 'execSync']);

export const shellConcatRule: Rule = (files) => {
  const findings = [];
  for (const { file, added } of addedCode(files)) {
    for (const match of added.text.matchAll(CALL)) {
      const object = match.groups?.['object'];
      const fn = match.groups?.['fn'] ?? '';
      const isModuleCall = object !== undefined && PROCESS_MODULE.test(object);
      if (NEEDS_MODULE.has(fn) && !isModuleCall) continue;
      if (METHOD_ALSO_ELSEWHERE.has(fn) && object !== undefined && !isModuleCall) continue;
      const openParen = (match.index ?? 0) + match[0].length - 1;
      if (buildsString(firstArgument(added.text, openParen))) {
        findings.push(
          finding(
            'shell-concat',
            'high',
            `${where(file, added)} builds the command of ${fn}() from strings (shell injection)`,
            file.path,
            added.line,
          ),
        );
        break;
      }
    }
  }
  return findings;
};
