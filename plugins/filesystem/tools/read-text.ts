import { FsError } from '../safety/fs-error.js';
import { withVerified } from '../safety/verified-open.js';
import { decodeText, formatBytes, textShape } from '../text/encoding.js';
import { readForWindow, windowOf, WHOLE_FILE_LIMIT, type LineRequest, type LineWindow } from '../text/line-window.js';

export interface TextRead {
  text: string;
  /** Where the text sits in the file and how to go on, when that is not "the whole file". */
  note?: string;
  window: LineWindow;
  size: number;
}

const SNIFF = 8192;

/** Reads the selected lines of a verified file as text, within `cap` bytes. Binary files are refused. */
export function readText(real: string, shown: string, req: LineRequest, cap: number): TextRead {
  return withVerified(real, 'file', shown, ({ fd, stat }) => {
    const size = stat.size;
    const got = readForWindow(fd, size, req, cap);
    let buf = got.buf;
    const sniff = textShape(got.fromEnd ? buf.subarray(Math.max(0, buf.length - SNIFF)) : buf.subarray(0, SNIFF), true);
    if (sniff.binary) {
      throw new FsError(`${shown}: binary file (${formatBytes(size)}); read_media_file returns images and audio, get_file_info describes any file`);
    }
    let validUtf8 = true;
    if (sniff.encoding !== 'utf-8') {
      if (!got.whole || size > WHOLE_FILE_LIMIT) throw new FsError(`${shown}: ${sniff.encoding} text larger than ${formatBytes(WHOLE_FILE_LIMIT)} cannot be read`);
      buf = Buffer.from(decodeText(buf, sniff), 'utf8');
    } else {
      if (!got.fromEnd && sniff.bom) buf = buf.subarray(3);
      validUtf8 = textShape(buf, !got.whole).validUtf8;
    }
    const selected = req.startLine !== undefined || req.endLine !== undefined || req.head !== undefined || req.tail !== undefined;
    // The common case, a whole file under the cap, needs no line bookkeeping.
    const window = !selected && got.whole && buf.length <= cap ? { bytes: buf } : windowOf(buf, req, cap, got.whole ? 'whole' : got.fromEnd ? 'suffix' : 'prefix');
    const text = window.bytes.toString('utf8');
    const notes: string[] = [];
    if (window.pastEnd && window.bytes.length === 0) {
      notes.push(`no such lines: the file has ${window.totalLines} line(s)`);
    } else if (selected || window.cut || !got.whole) {
      notes.push(describeWindow(window, size, cap));
    }
    if (sniff.encoding !== 'utf-8') notes.push(`decoded from ${sniff.encoding}; the edit tools do not change such files`);
    else if (!validUtf8) notes.push('not valid UTF-8: invalid bytes are shown as U+FFFD; the edit tools do not change such files');
    return { text, note: notes.length > 0 ? `[${notes.join('; ')}]` : undefined, window, size };
  });
}

function describeWindow(w: LineWindow, size: number, cap: number): string {
  const of = w.totalLines !== undefined ? ` of ${w.totalLines}` : ` of a ${formatBytes(size)} file`;
  const range = w.firstLine !== undefined ? `lines ${w.firstLine}-${w.lastLine ?? '?'}${of}` : `the last lines${of}`;
  if (!w.cut) return w.pastEnd ? `${range} (the file ends before the requested end)` : range;
  const limit = `the ${formatBytes(cap)} response limit`;
  if (w.cut.kind === 'char' && w.cut.nextLine !== undefined) {
    return `line ${w.firstLine} is longer than ${limit} and was cut; continue with startLine=${w.cut.nextLine}, or use search_content to find text inside the line`;
  }
  if (w.cut.kind === 'char') return `the last line is longer than ${limit}; only its end is shown`;
  if (w.cut.nextLine !== undefined) return `${range}, cut at ${limit}; continue with startLine=${w.cut.nextLine}`;
  return `${range}, cut at ${limit}${w.cut.previousLine !== undefined ? `; earlier lines: endLine=${w.cut.previousLine}` : ''}`;
}
