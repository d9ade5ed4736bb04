// A local stand-in for the support agent under test: promptfoo calls it like any provider, and it
// answers from the question's words without a model or a network. About one question in six gets
// an answer about the wrong topic, so the rubric has failures to score.
export default class SupportAgent {
  id() {
    return 'driftwatch-fixture-agent';
  }

  async callApi(prompt, context) {
    const question = String(context?.vars?.question ?? prompt);
    const words = question.toLowerCase().match(/[a-z]+/g) ?? [];
    let h = 0;
    for (const c of question) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    const topic = h % 6 === 0 ? 'opening hours of our branches' : words.filter((w) => w.length > 3).join(' ');
    return { output: `Thanks for asking. About ${topic}: here is what you can do next.` };
  }
}
