/**
 * A stand-in for torchtune's `tune run` that the cluster tests install on the test host: it reads the uploaded
 * JSONL (from the torchtune config, or $VALLEY_DATA_FILE), writes torchtune-style metric lines
 * (`Step N | loss:… lr:…`) to stdout and to a DiskLogger-like file, and an LCB-format `*_eval_all.json` with
 * 10 problems of which the first min(rows, 10) pass. $VALLEY_FAKE_STEPS steps, $VALLEY_FAKE_SLEEP seconds each.
 */
export const fakeTuneScript = `#!/bin/bash
set -euo pipefail
cfg=""
while [ $# -gt 0 ]; do if [ "$1" = --config ]; then cfg=$2; shift; fi; shift; done
if [ -n "$cfg" ]; then
  data=$(sed -n 's/^  data_files: //p' "$cfg"); data=\${data#\\"}; data=\${data%\\"}
  out=$(sed -n 's/^output_dir: //p' "$cfg"); out=\${out#\\"}; out=\${out%\\"}
else
  data=$VALLEY_DATA_FILE; out=$VALLEY_OUTPUT_DIR
fi
rows=$(wc -l < "$data")
echo "fake torchtune: $rows examples from $data"
mkdir -p "$out/logs"
for i in $(seq 1 "\${VALLEY_FAKE_STEPS:-5}"); do
  line="Step $i | loss:$(awk -v i="$i" 'BEGIN { printf "%.4f", 2.5 / i }') lr:8e-05 tokens_per_second_per_gpu:1000.0"
  echo "$line"
  echo "$line" >> "$out/logs/log_1.txt"
  sleep "\${VALLEY_FAKE_SLEEP:-0.05}"
done
f="$out/Fake-Student_N1_Scenario.codegeneration_1_0.2_eval_all.json"
{
  echo "["
  for i in $(seq 1 10); do
    d=easy; [ $((i % 3)) = 1 ] && d=medium; [ $((i % 3)) = 2 ] && d=hard
    g=false; [ "$i" -le "$rows" ] && g=true
    sep=","; [ "$i" = 10 ] && sep=""
    echo "{\\"question_id\\": \\"q$i\\", \\"difficulty\\": \\"$d\\", \\"graded_list\\": [$g], \\"code_list\\": [\\"print($i)\\"], \\"output_list\\": [\\"<think>x</think>print($i)\\"], \\"pass@1\\": 0}$sep"
  done
  echo "]"
} > "$f"
echo "fake torchtune: done"
`;
