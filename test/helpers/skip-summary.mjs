// A node:test reporter that prints, after the run, every skipped test with the reason it gave
// (which program to install), so a run without clickhouse-server or Prometheus says so at the end.
export default async function* skipSummary(source) {
  const skipped = [];
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined) {
      skipped.push(`${event.data.name}${typeof event.data.skip === 'string' ? `: ${event.data.skip}` : ''}`);
    }
  }
  if (skipped.length === 0) return;
  yield `\n${skipped.length} test(s) skipped, each with what to install to run it (with CI set they run and fail instead):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`;
}
