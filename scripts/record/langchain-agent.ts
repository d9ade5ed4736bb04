/** The support agent in LangChain.js: retriever, prompt template, fake tool-calling model, tools. */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { RunnableLambda } from '@langchain/core/runnables';
import type { ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';
import { CONVERSATIONS, finalAnswer, PROMPT_NAME, promptVersion, retrieve, runTool, systemTemplate, type ToolName, type Variant } from './scenario.ts';

/** A chat model that plans the conversation's tool calls, then answers once they returned. */
export class PlanningChatModel extends BaseChatModel {
  _llmType() {
    return 'planning-fake';
  }
  override bindTools() {
    return this as never;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const human = [...messages].reverse().find((m) => m._getType() === 'human');
    const question = String(human?.content ?? '');
    const plan = CONVERSATIONS.find((c) => c.question === question)?.tools ?? [];
    const done = messages.filter((m) => m._getType() === 'tool');
    const message =
      done.length > 0 || plan.length === 0
        ? new AIMessage(
            finalAnswer(
              question,
              done.map((m) => String(m.content)),
            ),
          )
        : new AIMessage({ content: '', tool_calls: plan.map((t, i) => ({ id: `call_${i}`, name: t.name, args: t.args, type: 'tool_call' as const })) });
    return { generations: [{ text: String(message.content), message }] };
  }
}

export class KnowledgeBaseRetriever extends BaseRetriever {
  override lc_namespace = ['driftwatch', 'fixtures'];
  constructor(private readonly variant: Variant) {
    super();
  }
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return retrieve(query, this.variant).map((c) => new Document({ pageContent: c.text, metadata: { id: c.id, source: c.source } }));
  }
}

export function tools(variant: Variant): StructuredToolInterface[] {
  const make = (name: ToolName) =>
    tool(async (args: Record<string, string>) => runTool(name, args, variant), {
      name,
      description: `The ${name} tool`,
      schema: z.object({ order: z.string().optional(), address: z.string().optional(), to: z.string().optional() }),
    });
  return (['lookup_order', 'refund_payment', 'update_address', 'send_email'] as const).map(make);
}

export function promptTemplate(variant: Variant) {
  return ChatPromptTemplate.fromMessages([
    ['system', systemTemplate(variant)],
    ['human', '{question}'],
  ]).withConfig({ runName: PROMPT_NAME, metadata: { prompt_version: promptVersion(variant) } });
}

/** One conversation: retrieve, fill the prompt, call the model, run its tool calls, answer. */
export function supportAgent(variant: Variant) {
  const retriever = new KnowledgeBaseRetriever(variant);
  const prompt = promptTemplate(variant);
  const model = new PlanningChatModel({});
  const byName = new Map(tools(variant).map((t) => [t.name, t]));
  return RunnableLambda.from(async (input: { question: string }) => {
    const docs = await retriever.invoke(input.question);
    const messages = (await prompt.invoke({ context: docs.map((d) => d.pageContent).join('\n'), question: input.question })).toChatMessages();
    const first = (await model.invoke(messages)) as AIMessage;
    const history: BaseMessage[] = [...messages, first];
    for (const call of first.tool_calls ?? []) {
      let result: string;
      try {
        result = String(await byName.get(call.name)!.invoke(call.args));
      } catch (err) {
        result = `error: ${(err as Error).message}`;
      }
      history.push(new ToolMessage({ content: result, tool_call_id: call.id! }));
    }
    return (await model.invoke(history)).content;
  }).withConfig({ runName: 'support_agent' });
}
