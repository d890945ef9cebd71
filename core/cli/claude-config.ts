export async function claudeConfig(_configFlag: string | undefined, _write: boolean, _name: string | undefined): Promise<number> {
  return 0;
}
