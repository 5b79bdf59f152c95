import JSZip from 'jszip';
import { z } from 'zod';
import type { SwitchboardError } from '../../core/errors.js';
import { importError } from './importError.js';

/** What an archive may hold before it is refused as a zip bomb (or simply not an agent export). */
export interface ZipLimits {
  /** The archive itself, compressed. */
  maxArchiveBytes: number;
  maxEntries: number;
  /** One entry, uncompressed. */
  maxEntryBytes: number;
  /** Every entry read, uncompressed, together. */
  maxTotalBytes: number;
}

/** A Dialogflow agent with hundreds of intents is a few megabytes uncompressed. */
export const ZIP_LIMITS: ZipLimits = { maxArchiveBytes: 20 * 1024 * 1024, maxEntries: 5000, maxEntryBytes: 8 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

/** An opened archive whose entries are read as UTF-8 text within the limits. */
export interface BoundedZip {
  zip: JSZip;
  /** The entry's text; undefined when there is no such file. Over a limit: SB_ERR_IMPORT, whole archive refused. */
  readText(name: string): Promise<string | undefined>;
}

/** JSZip keeps the sizes the central directory declares here; they are not part of its typed API. */
const DeclaredSize = z.object({ _data: z.object({ uncompressedSize: z.number().int().nonnegative() }) });

/**
 * Opens a zip with its size checked three times: the entry count from the end-of-central-directory
 * record before JSZip builds anything, the sizes the directory declares before anything is
 * inflated, and the bytes actually produced while inflating (a header can lie), so a bomb stops
 * within one inflated block of the limit instead of filling memory.
 */
export async function openBoundedZip(data: Uint8Array, limits: ZipLimits = ZIP_LIMITS): Promise<BoundedZip> {
  if (data.byteLength > limits.maxArchiveBytes) throw importError([{ path: '(archive)', message: `is ${data.byteLength} bytes; the limit is ${limits.maxArchiveBytes}` }]);
  const declaredEntries = endOfCentralDirectoryEntries(data);
  if (declaredEntries !== undefined && declaredEntries > limits.maxEntries) throw tooManyEntries(declaredEntries, limits);

  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data);
  } catch (error) {
    throw importError([{ path: '(archive)', message: `not a zip archive: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const entries = Object.values(zip.files);
  if (entries.length > limits.maxEntries) throw tooManyEntries(entries.length, limits);
  let declaredTotal = 0;
  for (const entry of entries) {
    const declared = DeclaredSize.safeParse(entry);
    if (!declared.success) continue;
    const size = declared.data._data.uncompressedSize;
    if (size > limits.maxEntryBytes) throw importError([{ path: entry.name, message: tooLarge(size, limits.maxEntryBytes) }]);
    declaredTotal += size;
  }
  if (declaredTotal > limits.maxTotalBytes) throw importError([{ path: '(archive)', message: `unpacks to ${declaredTotal} bytes; the limit is ${limits.maxTotalBytes}` }]);

  let inflated = 0;
  const readText = async (name: string): Promise<string | undefined> => {
    const file = zip.file(name);
    if (file === null) return undefined;
    const bytes = await readBounded(file, (chunk) => {
      inflated += chunk;
      return inflated > limits.maxTotalBytes ? `the archive unpacks to more than the limit of ${limits.maxTotalBytes} bytes` : undefined;
    }, limits.maxEntryBytes);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw importError([{ path: name, message: 'is not UTF-8 text' }]);
    }
  };
  return { zip, readText };
}

/** Inflates one entry, stopping as soon as it or the whole archive passes its limit. */
function readBounded(file: JSZip.JSZipObject, addToTotal: (bytes: number) => string | undefined, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stream = file.nodeStream('nodebuffer');
    const stop = (message: string): void => {
      settled = true;
      // Unread, the stream fills its buffer and JSZip pauses the inflater: nothing more is produced.
      stream.pause();
      stream.removeAllListeners('data');
      reject(importError([{ path: file.name, message }]));
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      const overTotal = addToTotal(chunk.length);
      if (size > maxBytes) return stop(`unpacks to more than the limit of ${maxBytes} bytes`);
      if (overTotal !== undefined) return stop(overTotal);
      chunks.push(chunk);
    });
    stream.on('error', (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(importError([{ path: file.name, message: `cannot be unpacked: ${error instanceof Error ? error.message : String(error)}` }]));
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * The total entry count the end-of-central-directory record declares (ZIP64 archives say 0xFFFF,
 * which is over any limit here); undefined when there is no such record (JSZip then refuses).
 */
function endOfCentralDirectoryEntries(data: Uint8Array): number | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const RECORD = 22;
  const MAX_COMMENT = 0xffff;
  for (let at = data.byteLength - RECORD; at >= 0 && at >= data.byteLength - RECORD - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === 0x06054b50) return view.getUint16(at + 10, true);
  }
  return undefined;
}

function tooManyEntries(count: number, limits: ZipLimits): SwitchboardError {
  return importError([{ path: '(archive)', message: `has ${count} entries; the limit is ${limits.maxEntries}` }]);
}

function tooLarge(size: number, limit: number): string {
  return `unpacks to ${size} bytes; the limit is ${limit}`;
}
