/**
 * A small real tokenizer.json (the format Qwen2.5 and Llama 3.1 ship): BPE over whitespace-split words with the
 * vocabulary [UNK] a b c ab abc, so `abc ab a` is 3 tokens; `added` are its added tokens (e.g. `<think>`).
 */
export const bpeTokenizerJson = (added: string[] = []): string =>
  JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added.map((content, i) => ({ id: 6 + i, content, special: false })),
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '[UNK]',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      vocab: { '[UNK]': 0, a: 1, b: 2, c: 3, ab: 4, abc: 5 },
      merges: ['a b', 'ab c'],
    },
  });
