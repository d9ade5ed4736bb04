// The rubric `resolution`, graded in code: the share of the intent's words the answer addresses
// (an intent such as card_arrival → card, arrival), passing at one half.
export default (output, context) => {
  const words = String(context.vars.intent).split('_').filter((w) => w.length > 2);
  const text = output.toLowerCase();
  const hit = words.filter((w) => text.includes(w.slice(0, Math.max(4, w.length - 2)))).length;
  const score = words.length === 0 ? 0 : Math.round((hit / words.length) * 1000) / 1000;
  return { pass: score >= 0.5, score, reason: `${hit} of ${words.length} intent words addressed` };
};
