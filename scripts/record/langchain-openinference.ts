/** LangChain.js traced by OpenInference (@arizeai/openinference-instrumentation-langchain). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import { startTracing, writeVariant, outDir } from './harness.ts';
import { CONVERSATIONS, VARIANTS } from './scenario.ts';
import { supportAgent } from './langchain-agent.ts';

AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());
const tracing = startTracing('support-agent');
new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);

for (const variant of VARIANTS) {
  const agent = supportAgent(variant);
  for (const c of CONVERSATIONS) await agent.invoke({ question: c.question });
  console.log(`langchain-openinference ${variant}: ${await writeVariant(outDir('langchain-openinference'), variant, tracing)} spans`);
}
