import type { DiffFile, DiffLine } from '../diff-lines.js';
import type { ReviewFinding } from '../types.js';
import { finding, isCommentOnly, isTestFile, where, type Rule } from './rule.js';

/**
 * A red test is fixed by fixing the code, not the test: refuses skipped tests, removed test cases or
 * assertions (net, per file), deleted test files and test files renamed out of the suite. A focused test
 * (`it.only`) silences the rest of the suite, so it is reported too, at medium.
 */
export const weakenedTestRule: Rule = (files) => files.flatMap(checkFile);

const SKIP =
  /\b(?:it|test|describe|context|suite|specify)\s*\.\s*(?:skip|skipIf|todo)\b|(?<![\w$.])(?:xit|xtest|xdescribe|xcontext|xspecify)\s*\(|@pytest\.mark\.(?:skip|skipif|xfail)\b|@unittest\.skip|\bpytest\.skip\s*\(|\bt\.Skip(?:Now|f)?\s*\(|@Disabled\b|@Ignore\b/;
const ONLY = /\b(?:it|test|describe|context|suite)\s*\.\s*only\b|(?<![\w$.])(?:fit|fdescribe)\s*\(/;
const TEST_CASE =
  /^\s*(?:(?:it|test|describe|context|suite|specify)(?:\.(?:each|concurrent|sequential|fails)\b[^(]*)?\s*\(|(?:async\s+)?def\s+test_\w*\s*\(|func\s+Test\w*\s*\(|@Test\b)/;
const ASSERTION =
  /\bexpect\s*\(|\bassert(?:\.\w+)?\s*\(|^\s*assert\s|\bself\.assert\w*\s*\(|\.should\b|\bt\.(?:Error|Fatal)f?\s*\(|\bassertThat\s*\(/;

function checkFile(file: DiffFile): ReviewFinding[] {
  const findings: ReviewFinding[] = [];
  const code = (lines: readonly DiffLine[]) => lines.filter((line) => !isCommentOnly(line.text));
  for (const line of code(file.added)) {
    if (SKIP.test(line.text)) {
      findings.push(finding('weakened-test', 'high', `${where(file, line)} skips a test`, file.path, line.line));
    } else if (ONLY.test(line.text)) {
      findings.push(finding('weakened-test', 'medium', `${where(file, line)} focuses a test (.only), silencing the others`, file.path, line.line));
    }
  }

  const oldIsTest = isTestFile(file.oldPath);
  if (file.status === 'deleted' && oldIsTest) {
    return [...findings, finding('weakened-test', 'high', `deletes test file ${file.path}`, file.path)];
  }
  if (file.status === 'renamed' && oldIsTest && !isTestFile(file.newPath)) {
    findings.push(finding('weakened-test', 'high', `renames test file ${file.oldPath ?? ''} out of the test suite`, file.path));
  }
  if (!oldIsTest && !isTestFile(file.newPath)) return findings;

  const removedCases = netRemoved(code(file.removed), code(file.added), TEST_CASE);
  if (removedCases > 0) {
    findings.push(finding('weakened-test', 'high', `removes ${removedCases} test case(s) from ${file.path}`, file.path));
  }
  const removedAssertions = netRemoved(code(file.removed), code(file.added), ASSERTION);
  if (removedAssertions > 0) {
    findings.push(
      finding('weakened-test', 'high', `removes ${removedAssertions} assertion(s) from ${file.path} without replacement`, file.path),
    );
  }
  return findings;
}

function netRemoved(removed: readonly DiffLine[], added: readonly DiffLine[], pattern: RegExp): number {
  const count = (lines: readonly DiffLine[]) => lines.filter((line) => pattern.test(line.text)).length;
  return count(removed) - count(added);
}
