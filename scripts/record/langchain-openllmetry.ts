/** LangChain.js traced by OpenLLMetry (@traceloop/node-server-sdk's LangChain instrumentation). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import * as traceloop from '@traceloop/node-server-sdk';
import { LangChainInstrumentation } from '@traceloop/instrumentation-langchain';
import { startTracing, writeVariant, outDir } from './harness.ts';
import { CONVERSATIONS, promptVersion, VARIANTS } from './scenario.ts';
import { supportAgent } from './langchain-agent.ts';

AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());
const tracing = startTracing('support-agent-openllmetry');
// The SDK's own set-up, exporting to memory instead of Traceloop's cloud; its LangChain
// instrumentation is installed on LangChain's callback manager, as the SDK does for ESM apps.
traceloop.initialize({
  appName: 'support-agent-openllmetry',
  exporter: tracing.exporter,
  disableBatch: true,
  traceloopSyncEnabled: false,
  silenceInitializationMessage: true,
  tracingEnabled: true,
  instrumentModules: {},
});
new LangChainInstrumentation().manuallyInstrument({ callbackManagerModule: CallbackManagerModule });

for (const variant of VARIANTS) {
  const agent = supportAgent(variant);
  for (const c of CONVERSATIONS)
    await traceloop.withWorkflow({ name: 'support_agent', associationProperties: { prompt_version: promptVersion(variant) } }, () => agent.invoke({ question: c.question }));
  console.log(`langchain-openllmetry ${variant}: ${await writeVariant(outDir('langchain-openllmetry'), variant, tracing)} spans`);
}
