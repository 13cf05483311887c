/**
 * Progress lines for long-running commands, on stderr so stdout stays machine-readable.
 * On a terminal the line is redrawn in place; elsewhere (CI logs) a line is printed at
 * most every two seconds and at the end.
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total?: number): void; finish(summary?: string): void } {
  let lastPrint = 0;
  let lastText = '';
  const render = (done: number, total?: number) => (total ? `${label}: ${done}/${total} (${total === 0 ? 100 : Math.floor((done / total) * 100)}%)` : `${label}: ${done}`);
  return {
    update(done, total) {
      lastText = render(done, total);
      const now = Date.now();
      if (stream.isTTY) stream.write(`\r${lastText}`);
      else if (now - lastPrint > 2000) {
        stream.write(`${lastText}\n`);
        lastPrint = now;
      }
    },
    finish(summary) {
      if (stream.isTTY && lastText) stream.write('\n');
      stream.write(`${summary ?? lastText}\n`);
    },
  };
}
