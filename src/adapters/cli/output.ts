/** A command's JSON answer on stdout, indented for reading (scripts parse it the same). */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
