import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { CsvBytes } from './types.js';

/** One chunk at a time: the reader keeps no more of the file than this. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes, read chunk by chunk while they are iterated (synchronously, so the pure reader stays synchronous).
 * The chunks share one buffer: each is valid until the next is asked for.
 */
export function readFileChunks(file: string, chunkBytes = CHUNK_BYTES): CsvBytes {
  return {
    byteLength: statSync(file).size,
    *[Symbol.iterator]() {
      const descriptor = openSync(file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(chunkBytes);
        for (;;) {
          const read = readSync(descriptor, buffer, 0, chunkBytes, null);
          if (read === 0) return;
          yield buffer.subarray(0, read);
        }
      } finally {
        closeSync(descriptor);
      }
    },
  };
}
