import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { RecipientProblem } from './types.js';

/** Text decoding by chunk: UTF-8 (BOM dropped) or UTF-16 with its BOM (Excel's "Unicode text"); binary is refused. */
export class ChunkDecoder {
  private decoder: TextDecoder | null = null;
  private utf16 = false;
  private started = false;
  /** The first bytes, until there are enough to tell the encoding. */
  private pending: Uint8Array = new Uint8Array(0);

  decode(chunk: Uint8Array, last: boolean): string | RecipientProblem {
    let bytes = chunk;
    if (!this.started) {
      bytes = concat(this.pending, chunk);
      if (bytes.length < 4 && !last) {
        // A copy: a chunk's buffer may be reused for the next one.
        this.pending = Uint8Array.from(bytes);
        return '';
      }
      this.started = true;
      const skipped = this.open(bytes);
      if (typeof skipped !== 'number') return skipped;
      bytes = bytes.subarray(skipped);
    }
    if (!this.utf16 && bytes.includes(0)) return { row: null, message: 'binary content (NUL bytes): expected a UTF-8 CSV text file' };
    // ASCII, the usual export, is valid UTF-8 as is: Latin-1 decoding makes a one-byte string, the fastest path.
    if (this.decoder === null && isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    try {
      const decoder = (this.decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));
      const text = decoder.decode(bytes, { stream: !last });
      return this.utf16 && text.includes('\0') ? { row: null, message: 'binary content (NUL characters) in a UTF-16 file' } : text;
    } catch {
      return { row: null, message: `not valid ${this.utf16 ? 'UTF-16' : 'UTF-8'} text: save the CSV as UTF-8` };
    }
  }

  /** Reads the byte order mark: how many bytes to skip, or why the file cannot be read. */
  private open(bytes: Uint8Array): number | RecipientProblem {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 3;
    const littleEndian = bytes[0] === 0xff && bytes[1] === 0xfe;
    if (littleEndian || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      this.utf16 = true;
      this.decoder = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true });
      return 2;
    }
    // Characters with a NUL byte beside each one and no byte order mark: UTF-16 whose byte order is a guess.
    const nulEveryOther = (first: number) => bytes[first] === 0 && bytes[first + 2] === 0 && bytes[first ^ 1] !== 0;
    if (bytes.length >= 4 && (nulEveryOther(0) || nulEveryOther(1))) {
      return { row: null, message: 'UTF-16 text without a byte order mark: save the list as UTF-8 (Excel: "CSV UTF-8")' };
    }
    return 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
