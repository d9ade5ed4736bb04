/** What every recorder shares: a tracer provider exporting to memory, and writing a variant's rows. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { collectorRow } from './rows.ts';
import type { Variant } from './scenario.ts';

export function startTracing(serviceName: string): { exporter: InMemorySpanExporter; provider: NodeTracerProvider } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return { exporter, provider };
}

/** Writes the spans finished so far as `<out>/<variant>.jsonl` (one Collector row per line) and clears them. */
export async function writeVariant(out: string, variant: Variant, tracing: { exporter: InMemorySpanExporter; provider: NodeTracerProvider }): Promise<number> {
  await tracing.provider.forceFlush();
  const rows = tracing.exporter.getFinishedSpans().map(collectorRow);
  tracing.exporter.reset();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${variant}.jsonl`), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return rows.length;
}

export const outDir = (library: string) => process.argv[2] ?? join('out', library);
