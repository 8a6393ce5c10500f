// OpenCodeReasoning-2-shaped rows as one DuckDB SELECT over `range`, shared by bench:scale and bench:data (they differ
// only in text sizes and in bench:scale's search words); every column a string, as in OCR2's Hugging Face layout.

/** A length `base + key % mod` for row i, `key` an SQL expression of i. */
export type Repeat = { base: number; mod: number; key?: string };

export type Ocr2RowsShape = {
  /** rows i of `range(from, to)`; question ids repeat every third of `total` */
  from: number;
  to: number;
  total: number;
  /** how many times the question's, reasoning's and final code's sentences repeat */
  question: Repeat;
  think: Repeat;
  code: Repeat;
  /** 60 words from a 20K vocabulary and one of 5,000 rare `kwNNNN` words in each reasoning (the search words) */
  words: boolean;
};

const times = (r: Repeat) => `(${r.base} + ${r.key ?? 'i'} % ${r.mod})::BIGINT`;

export const ocr2RowsSql = (s: Ocr2RowsShape): string => `
  SELECT 'id-' || i AS id, 'q' || (i % (${s.total} // 3 + 1)) AS question_id,
    'Problem ' || (i % 997) || ': ' || repeat('Given an array of n integers, find the answer. ', ${times(s.question)}) AS question,
    '<think>\n' || repeat('Let me reason about case ' || (i % 101) || ' and check the bound. ', ${times(s.think)}) ||
      ${s.words ? `array_to_string(['w' || (hash(i * 64 + j) % 20000) FOR j IN range(60)], ' ') || ' kw' || (i % 5000) ||` : ''}
      CASE WHEN i % 29 = 0 THEN '' ELSE '\n</think>\nThe solution:\n\`\`\`python\n' ||
      repeat('x = int(input())  # step ' || (i % 13) || '\n', ${times(s.code)}) || '\`\`\`\n' END AS r1_generation,
    'critique' AS qwq_critique, 'print(1)' AS solution,
    CASE WHEN (hash(i * 7) % 10)::INT < 6 THEN 'right' ELSE 'wrong' END AS judgement,
    ((hash(i * 3) % 11)::INT / 10)::VARCHAR AS pass_rate,
    ['taco', 'apps', 'code_contests', 'open-r1/codeforces'][1 + i % 4] AS source, 'cc-by-4.0' AS license,
    'taco' AS dataset, 'train' AS split,
    ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD', 'UNKNOWN_DIFFICULTY'][(1 + hash(i * 5) % 6)::INT] AS difficulty,
    i::VARCHAR AS "index"
  FROM range(${s.from}, ${s.to}) t(i)`;
