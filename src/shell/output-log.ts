import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../secrets/redact.js';

/**
 * Writes a command's whole output to a file as it arrives, redacted, in bounded memory: the guarded shell
 * keeps only a bounded head and tail in memory, the file keeps everything (for the failure analysis of a long
 * log, and for a person reading it afterwards).
 *
 * Redaction works on text, and a secret can arrive split across chunks (or across two reads of the pipe), so
 * text is written in windows: decoded text collects until a window is full, then it is written up to a cut
 * that no secret straddles, and the rest waits for more. A cut is safe when redacting the text on both sides
 * of it separately gives what redacting it whole gives, checked on OVERLAP_CHARS either side (secrets are far
 * shorter; a private key block is a few KB). When no line break gives a safe cut before MAX_PENDING_CHARS
 * have piled up, the whole window is redacted at once: then a secret could straddle the cut, but only one
 * longer than the whole window.
 */

const WINDOW_CHARS = 256 * 1024;
const OVERLAP_CHARS = 16 * 1024;
const MAX_PENDING_CHARS = 4 * 1024 * 1024;
/** Line breaks tried as a cut, from the latest one back. */
const MAX_CUTS_TRIED = 8;

export class OutputLog {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private fd: number | null;

  private constructor(
    /** Where the output goes. */
    readonly path: string,
    fd: number,
    private readonly redactor: Redactor,
  ) {
    this.fd = fd;
  }

  /** A new (or emptied) log file at `file`, its folder created; null when it cannot be opened. */
  static open(file: string, redactor: Redactor): OutputLog | null {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      return new OutputLog(file, openSync(file, 'w'), redactor);
    } catch {
      return null;
    }
  }

  /** Raw output bytes, in arrival order. */
  push(chunk: Uint8Array): void {
    if (this.fd === null) return;
    this.pending += this.decoder.decode(chunk, { stream: true });
    if (this.pending.length >= WINDOW_CHARS) this.writeSafePart();
  }

  /** Text of our own after the output (a note that the command could not start). */
  append(text: string): void {
    if (this.fd !== null) this.pending += text;
  }

  /** Writes what is left and closes the file: its path, or null when writing it failed (the log is incomplete). */
  close(): string | null {
    if (this.fd === null) return null;
    this.pending += this.decoder.decode();
    this.write(this.pending);
    this.pending = '';
    const fd = this.fd; // null when the last write failed
    this.fd = null;
    if (fd === null) return null;
    try {
      closeSync(fd);
      return this.path;
    } catch {
      return null;
    }
  }

  private writeSafePart(): void {
    let cut = this.safeCut();
    if (cut <= 0) {
      if (this.pending.length < MAX_PENDING_CHARS) return;
      cut = this.pending.length;
    }
    this.write(this.pending.slice(0, cut));
    this.pending = this.pending.slice(cut);
  }

  /** The latest line break, at least OVERLAP_CHARS before the end, that is a safe cut; 0 when none is. */
  private safeCut(): number {
    const text = this.pending;
    let newline = text.lastIndexOf('\n', text.length - OVERLAP_CHARS);
    for (let tried = 0; newline >= 0 && tried < MAX_CUTS_TRIED; tried += 1) {
      const cut = newline + 1;
      const from = Math.max(0, cut - OVERLAP_CHARS);
      const around = text.slice(from, cut + OVERLAP_CHARS);
      const split = cut - from;
      const { redactor } = this;
      if (redactor.redact(around) === redactor.redact(around.slice(0, split)) + redactor.redact(around.slice(split))) return cut;
      newline = newline === 0 ? -1 : text.lastIndexOf('\n', newline - 1);
    }
    return 0;
  }

  private write(text: string): void {
    if (this.fd === null || text === '') return;
    const bytes = Buffer.from(this.redactor.redact(text), 'utf8');
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written);
    } catch {
      try {
        closeSync(this.fd);
      } catch {
        // the log is given up either way
      }
      this.fd = null;
    }
  }
}
