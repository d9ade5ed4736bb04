/** The Vercel AI SDK (`ai`) with experimental_telemetry, on its mock language model (ai/test). */
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { startTracing, writeVariant, outDir } from './harness.ts';
import { CONVERSATIONS, finalAnswer, PROMPT_NAME, promptVersion, retrieve, runTool, systemTemplate, VARIANTS, type ToolName, type Variant } from './scenario.ts';

const tracing = startTracing('support-ai-sdk');

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** Plans the conversation's tool calls on the first step and answers on the next. */
function planningModel(question: string) {
  const plan = CONVERSATIONS.find((c) => c.question === question)?.tools ?? [];
  return new MockLanguageModelV3({
    doGenerate: async (options) => {
      const results = options.prompt.flatMap((m) => (m.role === 'tool' ? m.content : [])).map((p) => JSON.stringify((p as { output?: unknown }).output ?? ''));
      if (results.length > 0 || plan.length === 0) {
        return {
          content: [
            {
              type: 'text',
              text: finalAnswer(
                question,
                results.map((r) => (r.includes('error') ? 'error' : r)),
              ),
            },
          ],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        } as never;
      }
      return {
        content: plan.map((t, i) => ({ type: 'tool-call', toolCallId: `call_${i}`, toolName: t.name, input: JSON.stringify(t.args) })),
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage,
        warnings: [],
      } as never;
    },
  });
}

const tools = (variant: Variant) =>
  Object.fromEntries(
    (['lookup_order', 'refund_payment', 'update_address', 'send_email'] as ToolName[]).map((name) => [
      name,
      tool({
        description: `The ${name} tool`,
        inputSchema: z.object({ order: z.string().optional(), address: z.string().optional(), to: z.string().optional() }),
        execute: async (args) => runTool(name, args as Record<string, string>, variant),
      }),
    ]),
  );

for (const variant of VARIANTS) {
  for (const c of CONVERSATIONS) {
    // The SDK has no retriever: the application looks documents up itself and puts them in the prompt.
    const context = retrieve(c.question, variant)
      .map((d) => d.text)
      .join('\n');
    await generateText({
      model: planningModel(c.question),
      system: systemTemplate(variant).replace('{context}', context),
      prompt: c.question,
      tools: tools(variant),
      stopWhen: stepCountIs(4),
      experimental_telemetry: { isEnabled: true, functionId: 'support_agent', metadata: { prompt_name: PROMPT_NAME, prompt_version: promptVersion(variant) } },
    });
  }
  console.log(`vercel-ai ${variant}: ${await writeVariant(outDir('vercel-ai'), variant, tracing)} spans`);
}
