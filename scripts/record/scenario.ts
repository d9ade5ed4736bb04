/**
 * The support agent every recorder runs, the same in each library: a retriever over a small
 * knowledge base, a versioned prompt template, four tools, and a fake model that plans tool calls
 * from the question. Two variants record what production turns into: `normal`, and `drifted`, in
 * which the refund vendor answers a schema error (tool-API drift), the knowledge base was
 * re-chunked (other chunk ids and texts for the same queries: retrieval-corpus drift) and the
 * prompt template moved to version v4 (prompt drift).
 */
export type Variant = 'normal' | 'drifted';
export const VARIANTS: readonly Variant[] = ['normal', 'drifted'];

export interface Conversation {
  question: string;
  tools: { name: ToolName; args: Record<string, string> }[];
}
export type ToolName = 'lookup_order' | 'refund_payment' | 'update_address' | 'send_email';

const refund = (order: string, why: string): Conversation => ({
  question: `I want a refund for order ${order}, ${why}`,
  tools: [
    { name: 'lookup_order', args: { order } },
    { name: 'refund_payment', args: { order } },
  ],
});

/** 24 questions, half of them refunds, so a short window holds enough calls of each tool. */
export const CONVERSATIONS: readonly Conversation[] = [
  refund('A1001', 'it arrived broken'),
  refund('A1002', 'I never received it'),
  refund('A1003', 'I was charged twice'),
  refund('A1004', 'the size is wrong'),
  refund('A1005', 'it is not what I ordered'),
  refund('A1006', 'the package was empty'),
  refund('A1007', 'the shoes hurt'),
  refund('A1008', 'it came too late'),
  refund('A1009', 'the color is different'),
  refund('A1010', 'the box was crushed'),
  {
    question: 'Please refund my duplicate payment on order A1011',
    tools: [
      { name: 'refund_payment', args: { order: 'A1011' } },
      { name: 'send_email', args: { to: 'customer' } },
    ],
  },
  { question: 'Refund the shipping fee on order A1012', tools: [{ name: 'refund_payment', args: { order: 'A1012' } }] },
  { question: 'Where is my order B2001?', tools: [{ name: 'lookup_order', args: { order: 'B2001' } }] },
  { question: 'Has order B2002 shipped yet?', tools: [{ name: 'lookup_order', args: { order: 'B2002' } }] },
  { question: 'When will order B2003 arrive?', tools: [{ name: 'lookup_order', args: { order: 'B2003' } }] },
  {
    question: 'Change the delivery address of order C3001 to 5 Elm Street',
    tools: [
      { name: 'update_address', args: { order: 'C3001', address: '5 Elm Street' } },
      { name: 'send_email', args: { to: 'customer' } },
    ],
  },
  { question: 'Ship order C3002 to my office at 12 Oak Road instead', tools: [{ name: 'update_address', args: { order: 'C3002', address: '12 Oak Road' } }] },
  { question: 'What is your return policy for shoes?', tools: [] },
  { question: 'How long does international shipping take?', tools: [] },
  { question: 'Do you offer a warranty on electronics?', tools: [] },
  { question: 'Can I pay with a gift card?', tools: [] },
  { question: 'How are refunds paid back?', tools: [] },
  { question: 'Until when can I change my address?', tools: [] },
  { question: 'How do order numbers look?', tools: [] },
];

interface Chunk {
  id: string;
  source: string;
  text: string;
}

const KB: Chunk[] = [
  { id: 'kb-returns-1', source: 'policies/returns.md', text: 'Shoes can be returned within 30 days if unworn.' },
  { id: 'kb-returns-2', source: 'policies/returns.md', text: 'Refunds are paid to the original payment method within 5 days.' },
  { id: 'kb-shipping-1', source: 'policies/shipping.md', text: 'International shipping takes 7 to 14 days.' },
  { id: 'kb-shipping-2', source: 'policies/shipping.md', text: 'Orders ship within 2 business days; tracking is emailed.' },
  { id: 'kb-warranty-1', source: 'policies/warranty.md', text: 'Electronics carry a one-year warranty.' },
  { id: 'kb-payment-1', source: 'policies/payment.md', text: 'We accept cards, gift cards and bank transfers.' },
  { id: 'kb-orders-1', source: 'help/orders.md', text: 'Order numbers start with a letter and four digits.' },
  { id: 'kb-address-1', source: 'help/address.md', text: 'Addresses can change until the order ships.' },
];

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);

/** The top 3 chunks by shared words (ties by id); after a re-index the corpus is chunked anew. */
export function retrieve(query: string, variant: Variant): Chunk[] {
  const q = words(query);
  const corpus = variant === 'drifted' ? reindexed() : KB;
  return corpus
    .map((c) => ({ c, score: [...words(`${c.text} ${c.source}`)].filter((w) => q.has(w)).length }))
    .sort((a, b) => b.score - a.score || a.c.id.localeCompare(b.c.id))
    .slice(0, 3)
    .map((x) => x.c);
}

/** The same knowledge, chunked by another splitter: new ids, merged texts. */
function reindexed(): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < KB.length; i += 2) {
    const pair = KB.slice(i, i + 2);
    out.push({ id: `kb2-${String(i / 2).padStart(3, '0')}`, source: pair[0]!.source, text: pair.map((c) => c.text).join(' ') });
  }
  out.push({ id: 'kb2-faq-000', source: 'faq/all.md', text: 'Orders, shipping, returns, refunds, warranty, payment and address questions.' });
  return out;
}

/** What a tool answers; throws as the vendor does. */
export function runTool(name: ToolName, args: Record<string, string>, variant: Variant): string {
  if (name === 'refund_payment') {
    if (variant === 'drifted') {
      throw new Error(`SchemaValidationError: field "amount_cents" is required (order ${args.order}, request 7f3a9c2e)`);
    }
    // The vendor's usual rate limiting: one order in twelve meets it.
    if (args.order === 'A1003') throw new Error('RateLimitError: 429 Too Many Requests, retry after 2 s');
    return JSON.stringify({ refunded: true, order: args.order });
  }
  if (name === 'lookup_order') return JSON.stringify({ order: args.order, status: args.order?.startsWith('B') ? 'shipped' : 'delivered' });
  if (name === 'update_address') return JSON.stringify({ order: args.order, address: args.address, ok: true });
  return JSON.stringify({ sent: true });
}

export const PROMPT_NAME = 'support-agent';
export function promptVersion(variant: Variant): string {
  return variant === 'drifted' ? 'v4' : 'v3';
}
export function systemTemplate(variant: Variant): string {
  return variant === 'drifted'
    ? 'You are the support agent of Acme. Be brief. Use tools for orders. Knowledge:\n{context}'
    : 'You are a helpful support agent for Acme. Answer from this knowledge:\n{context}';
}

/** The fake model's final answer once the tools have answered. */
export function finalAnswer(question: string, toolResults: string[]): string {
  return toolResults.some((r) => r.startsWith('error')) ? 'Sorry, something went wrong; a colleague will follow up.' : `Done: ${question.slice(0, 40)}`;
}
