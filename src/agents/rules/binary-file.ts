import { finding, type Rule } from './rule.js';

/** A binary change cannot be reviewed line by line (nor applied from a text diff): refused. */
export const binaryFileRule: Rule = (files) =>
  files
    .filter((file) => file.isBinary)
    .map((file) => finding('binary-file', 'high', `changes binary file ${file.path}, which cannot be reviewed`, file.path));
