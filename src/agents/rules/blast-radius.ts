import { changedLineCount } from '../diff-lines.js';
import { finding, type Rule } from './rule.js';

/** A fix should be small: more files or lines than `safety.max_files_changed` / `max_lines_changed` is refused. */
export const blastRadiusRule: Rule = (files, options) => {
  const findings = [];
  if (files.length > options.maxFilesChanged) {
    findings.push(
      finding('blast-radius', 'high', `changes ${files.length} files (limit ${options.maxFilesChanged}, safety.max_files_changed)`),
    );
  }
  const lines = changedLineCount(files);
  if (lines > options.maxLinesChanged) {
    findings.push(
      finding('blast-radius', 'high', `changes ${lines} lines (limit ${options.maxLinesChanged}, safety.max_lines_changed)`),
    );
  }
  return findings;
};
