/** LangGraph.js traced by OpenInference: a graph of retrieve → agent ⇄ tools nodes fed `{messages}` state. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import { HumanMessage, type SystemMessage, type AIMessage } from '@langchain/core/messages';
import { Annotation, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { startTracing, writeVariant, outDir } from './harness.ts';
import { CONVERSATIONS, VARIANTS, type Variant } from './scenario.ts';
import { KnowledgeBaseRetriever, PlanningChatModel, promptTemplate, tools } from './langchain-agent.ts';

AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());
const tracing = startTracing('support-graph');
new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);

const State = Annotation.Root({ ...MessagesAnnotation.spec, context: Annotation<string>() });

function graph(variant: Variant) {
  const retriever = new KnowledgeBaseRetriever(variant);
  const prompt = promptTemplate(variant);
  const model = new PlanningChatModel({});
  const question = (state: typeof State.State) => String(state.messages.find((m) => m._getType() === 'human')?.content ?? '');
  return new StateGraph(State)
    .addNode('retrieve', async (state) => ({ context: (await retriever.invoke(question(state))).map((d) => d.pageContent).join('\n') }))
    .addNode('agent', async (state) => {
      const system = (await prompt.invoke({ context: state.context, question: question(state) })).toChatMessages()[0] as SystemMessage;
      return { messages: [await model.invoke([system, ...state.messages])] };
    })
    .addNode('tools', new ToolNode(tools(variant), { handleToolErrors: true }))
    .addEdge(START, 'retrieve')
    .addEdge('retrieve', 'agent')
    .addConditionalEdges('agent', (state) => (((state.messages.at(-1) as AIMessage).tool_calls?.length ?? 0) > 0 ? 'tools' : END))
    .addEdge('tools', 'agent')
    .compile()
    .withConfig({ runName: 'support_graph' });
}

for (const variant of VARIANTS) {
  const app = graph(variant);
  for (const c of CONVERSATIONS) await app.invoke({ messages: [new HumanMessage(c.question)] });
  console.log(`langgraph-openinference ${variant}: ${await writeVariant(outDir('langgraph-openinference'), variant, tracing)} spans`);
}
