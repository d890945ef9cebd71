/**
 * The environment of a stdio server. Nothing of the host's environment is inherited except this
 * allowlist (what a program needs to run and find its files, as sudo's env_keep does), the names a
 * config lists in `inheritEnv`, and the config's own `env` on top. So a server never sees the host's
 * secrets (database URLs, tokens) unless the config hands them over by name.
 */
export const INHERITED_ENV_POSIX = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TMPDIR', 'TZ'];

export const INHERITED_ENV_WINDOWS = [
  'PATH',
  'PATHEXT',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'ComSpec',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramData',
  'ProgramFiles',
  'ProgramFiles(x86)',
  'CommonProgramFiles',
  'PROCESSOR_ARCHITECTURE',
  'NUMBER_OF_PROCESSORS',
];

export function childEnv(
  hostEnv: NodeJS.ProcessEnv,
  own: Record<string, string> | undefined,
  extraNames: string[] = [],
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const names = [...(platform === 'win32' ? INHERITED_ENV_WINDOWS : INHERITED_ENV_POSIX), ...extraNames];
  const env: Record<string, string> = {};
  // Windows names are case-insensitive (Path, PATH): match them so.
  const lookup = platform === 'win32' ? new Map(Object.keys(hostEnv).map((k) => [k.toUpperCase(), k])) : undefined;
  for (const name of names) {
    const key = lookup ? lookup.get(name.toUpperCase()) : name;
    const value = key === undefined ? undefined : hostEnv[key];
    // Exported shell functions ("() { ...") are a known injection vector (Shellshock): never pass them on.
    if (value !== undefined && !value.startsWith('()')) env[key!] = value;
  }
  return { ...env, ...own };
}
