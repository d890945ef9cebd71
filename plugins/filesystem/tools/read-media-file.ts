import { FsError } from '../safety/fs-error.js';
import { withVerified } from '../safety/verified-open.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { readRange } from '../text/line-window.js';
import { mediaType } from '../util/mime.js';
import { objectSchema, pathProp } from '../util/schema.js';

export const readMediaFile: ToolFactory = (s) => ({
  name: 'read_media_file',
  title: 'Read an image or audio file',
  description: `Returns an image (png, jpeg, gif, webp, svg, ...) or audio file (mp3, wav, ogg, flac, ...) as MCP image/audio content, up to ${formatBytes(s.config.maxMediaBytes)}.`,
  inputSchema: objectSchema({ path: pathProp('Image or audio file path') }, ['path']),
  annotations: READ_ONLY,
  handler: async (args: { path: string }) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const mimeType = mediaType(target.real);
    if (!mimeType) throw new FsError(`${args.path}: not an image or audio file (by its extension); use read_text_file or get_file_info`);
    const data = withVerified(target.real, 'file', args.path, ({ fd, stat }) => {
      if (stat.size > s.config.maxMediaBytes) {
        throw new FsError(`${args.path}: ${formatBytes(stat.size)} is over the ${formatBytes(s.config.maxMediaBytes)} media limit (maxMediaBytes)`);
      }
      return readRange(fd, 0, stat.size).toString('base64');
    });
    const type = mimeType.startsWith('audio/') ? ('audio' as const) : ('image' as const);
    return { content: [{ type, data, mimeType }] };
  },
});
