import { pick } from '../../../shared/domain/random';

type Rand = () => number;

const tasks = [
  'find the length of the longest contiguous subarray whose sum is divisible by K',
  'count the pairs (i, j) with i < j such that a[i] + a[j] is a perfect square',
  'determine the minimum number of moves needed to sort the permutation using adjacent swaps',
  'compute the number of distinct palindromic substrings of S modulo 10^9+7',
  'find the shortest path from the top-left to the bottom-right cell avoiding walls',
  'decide whether the graph can be coloured with two colours',
  'find the maximum total value of items that fit in a knapsack of capacity W',
  'report, for every query, the k-th smallest element of the given range',
  'count the number of ways to tile a 2 x N board with dominoes and trominoes',
  'find the minimum cost to connect all cities so that every pair is reachable',
  'compute the longest common subsequence of the two strings',
  'determine which player wins the stone game if both play optimally',
];
const settings = [
  'You are given an array a of N integers.',
  'Chef has a string S of length N consisting of lowercase letters.',
  'There are N cities connected by M bidirectional roads.',
  'Alice and Bob play a game on a pile of N stones.',
  'You are given a grid of H rows and W columns.',
  'A warehouse holds N items, the i-th with weight w_i and value v_i.',
];
const thoughts = [
  'Okay, let me read the problem carefully.',
  'So the constraints say N can be up to 2 * 10^5, which rules out anything quadratic.',
  'Hmm, maybe a prefix sum with a hash map of remainders works here.',
  'Wait, I need to handle negative numbers: in Python the modulo is already non-negative.',
  'Let me try the first sample by hand to check the idea.',
  'That gives 4, which matches the expected output.',
  'But what about the edge case where every element is zero?',
  'Alternatively, a two-pointer approach might be simpler, but it fails when values can be negative.',
  'I think dynamic programming over the prefix is the cleanest: dp[i] depends only on dp[i-1] and dp[i-2].',
  'So the recurrence is dp[i] = dp[i-1] + dp[i-2], with dp[0] = 1.',
  'Let me double-check the complexity: O(N log N) for sorting plus O(N) for the scan.',
  'Wait, no. That double-counts the pairs where i equals j, so I have to subtract them.',
  'Another approach would be a segment tree, but that seems heavier than needed.',
  'Now, reading the input quickly matters in Python, so I will use sys.stdin.',
  'Let me consider the second sample: the answer should be 0 because no move is needed.',
  'Hmm, this is getting complicated. Let me step back and think about the structure again.',
  'The graph is bipartite exactly when BFS never finds an edge between two nodes of the same colour.',
  'I should also make sure to reset the visited array between test cases.',
];
const codeBodies = [
  'def solve():\n    n, k = map(int, input().split())\n    a = list(map(int, input().split()))\n    seen = {0: -1}\n    best = s = 0\n    for i, x in enumerate(a):\n        s = (s + x) % k\n        if s in seen:\n            best = max(best, i - seen[s])\n        else:\n            seen[s] = i\n    print(best)\n\nsolve()',
  'import sys\nfrom collections import deque\n\ndef main():\n    data = sys.stdin.read().split()\n    n, m = int(data[0]), int(data[1])\n    adj = [[] for _ in range(n)]\n    for i in range(m):\n        u, v = int(data[2 + 2 * i]) - 1, int(data[3 + 2 * i]) - 1\n        adj[u].append(v)\n        adj[v].append(u)\n    color = [-1] * n\n    for s in range(n):\n        if color[s] != -1:\n            continue\n        color[s] = 0\n        q = deque([s])\n        while q:\n            u = q.popleft()\n            for v in adj[u]:\n                if color[v] == -1:\n                    color[v] = color[u] ^ 1\n                    q.append(v)\n                elif color[v] == color[u]:\n                    print("NO")\n                    return\n    print("YES")\n\nmain()',
  'MOD = 10**9 + 7\n\ndef main():\n    n = int(input())\n    dp = [0] * (n + 2)\n    dp[0], dp[1] = 1, 1\n    for i in range(2, n + 1):\n        dp[i] = (dp[i - 1] + dp[i - 2]) % MOD\n    print(dp[n])\n\nmain()',
  'def main():\n    s = input().strip()\n    t = input().strip()\n    prev = [0] * (len(t) + 1)\n    for ch in s:\n        cur = [0]\n        for j, c in enumerate(t):\n            cur.append(prev[j] + 1 if ch == c else max(prev[j + 1], cur[j]))\n        prev = cur\n    print(prev[-1])\n\nmain()',
];

export const demoQuestion = (rand: Rand, index: number): string =>
  `${pick(rand, settings)} Your task is to ${pick(rand, tasks)}.\n\n` +
  `Input\nThe first line contains T, the number of test cases (1 ≤ T ≤ 10). Each test case gives N (1 ≤ N ≤ ${
    10 ** (3 + (index % 3))
  }) followed by the data described above.\n\nOutput\nFor each test case print the answer on its own line.\n\n` +
  `Example\nInput\n2\n3\n1 2 3\n4\n4 4 1 2\nOutput\n${1 + (index % 5)}\n${index % 7}`;

/** A trace shaped like an R1 generation: <think> reasoning </think>, a short explanation, a final python block. */
export const demoResponse = (rand: Rand, thoughtsCount: number, complete: boolean): string => {
  const parts: string[] = [];
  for (let i = 0; i < thoughtsCount; i++) parts.push(pick(rand, thoughts));
  const think = parts.join(rand() < 0.5 ? '\n\n' : ' ');
  if (!complete) return `<think>\n${think}`;
  return (
    `<think>\n${think}\n</think>\n\n` +
    'The solution keeps a running state while scanning the input once, so it runs in linear time.\n\n' +
    '```python\n' +
    pick(rand, codeBodies) +
    '\n```'
  );
};
