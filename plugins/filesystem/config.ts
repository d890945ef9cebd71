/** The instance config, as validated against plugin.json's configSchema (defaults filled in by the host). */
export interface FsConfig {
  /** Folders the plugin may touch, relative to plugins.json; `~` expands. */
  roots: string[];
  readOnly: boolean;
  /** Most bytes of file text one response carries. */
  maxReadBytes: number;
  /** Largest image/audio file read_media_file returns. */
  maxMediaBytes: number;
  /** Skip what .gitignore files exclude, and node_modules and .git, in walks (tree, find, search). */
  respectGitignore: boolean;
  /** Globs refused even inside the roots. */
  deny: string[];
  /** Longest a find_files or search_content walk may take before it answers with what it has. */
  searchTimeoutMs: number;
}
