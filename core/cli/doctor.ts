export async function doctor(_configFlag: string | undefined): Promise<number> {
  return 0;
}
