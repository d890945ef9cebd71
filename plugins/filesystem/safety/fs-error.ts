/** A refusal or failure whose message is meant for the model: it says what was wrong and, where useful, what to do. */
export class FsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FsError';
  }
}

/** Turns an errno failure of a file operation into a short message naming the path as the model gave it. */
export function describeFsFailure(error: unknown, shownPath: string): Error {
  if (error instanceof FsError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return new FsError(`${shownPath}: no such file or directory`);
    case 'ENOTDIR':
      return new FsError(`${shownPath}: a parent of this path is not a directory`);
    case 'EISDIR':
      return new FsError(`${shownPath}: is a directory`);
    case 'ELOOP':
      return new FsError(`${shownPath}: too many levels of symbolic links (a link loop, or a link where none is followed)`);
    case 'EACCES':
    case 'EPERM':
      return new FsError(`${shownPath}: permission denied`);
    case 'ENAMETOOLONG':
      return new FsError(`${shownPath}: name too long`);
    case 'EEXIST':
      return new FsError(`${shownPath}: already exists`);
    case 'ENOTEMPTY':
      return new FsError(`${shownPath}: directory not empty`);
    case 'EXDEV':
      return new FsError(`${shownPath}: cannot move across file systems`);
    case 'ENOSPC':
      return new FsError(`${shownPath}: no space left on device`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
