import type { SubsetPlan, SubsetSpec } from '../../../shared/api';
import { ident, type Cell, type Engine } from '../engine/engine';
import { foregroundOf } from '../engine/foreground';
import { fitColumns, refuseUnfit } from './fitness';
import { orderParts, refuseTooBig } from './sampler';

const counts = (sizes: readonly number[], what: string, pos = 'pos'): string =>
  `[${sizes.map((x) => `${what} FILTER (WHERE ${pos} < ${x})`).join(', ')}]::BIGINT[]`;

const numbers = (c: Cell | undefined): number[] => (Array.isArray(c) ? c.map(Number) : []);
const strata = (c: Cell | undefined): { s: string; n: Cell }[] =>
  Array.isArray(c)
    ? c
        .map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? x : {}))
        .map((x) => ({ s: String(x['s']), n: x['n'] ?? null }))
    : [];

/**
 * Plan a recipe in one statement, one round trip (it used to be four: the order's TEMP table, the pool's count, the
 * sizes' counts, the fitness check): what the pool holds per stratum (a scan DuckDB prunes to the columns it needs),
 * the top-n of the order (only the positions the sizes take, kept for the rest of the statement), each size's strata
 * and distinct questions and, with `fitFor` (a description for the message), the unfit rows among them, refused as
 * requireFit refuses them. A view sampled from its side table reads the rows' fitness there, beside the pool's other
 * columns; otherwise the chosen rows are joined back to where their fitness is read, so a table's texts are read for
 * them only. The sizes are nested: a size holds the positions before it, a question counts from its first position.
 */
export const planSubset = (engine: Engine, spec: SubsetSpec, fitFor?: string): Promise<SubsetPlan> =>
  foregroundOf(engine).run(async () => {
    const check = fitFor !== undefined && spec.sizes.length > 0;
    const { pool, rankedFrom, order, fit, fitInPool } = await orderParts(engine, spec, check);
    const sizes = [...new Set(spec.sizes)].sort((a, b) => a - b);
    const top = Math.max(0, ...spec.sizes.map((x) => Math.floor(x)));
    const flags = fitInPool
      ? `SELECT row_id, pos, _u_dash AS dash, _u_ep AS ep, _u_er AS er FROM top`
      : `SELECT o.row_id, o.pos${fitColumns(fit).replaceAll(' AS _u_', ' AS ')} FROM ${ident(fit.relation)} t
           JOIN (SELECT row_id, pos FROM top) o ON o.row_id = t.row_id`;
    const unfit = check
      ? `(SELECT {'n': count(*), 'dash': count(*) FILTER (WHERE dash), 'ep': count(*) FILTER (WHERE ep),
                  'er': count(*) FILTER (WHERE er), 'ex': list(row_id ORDER BY pos)[1:3]}
            FROM flags WHERE dash OR ep OR er)`
      : 'NULL';
    const rows = await engine.all(
      `WITH pool AS NOT MATERIALIZED (${pool}),
            top AS MATERIALIZED (
              SELECT *, row_number() OVER (ORDER BY ${order}) - 1 AS pos
                FROM (SELECT * FROM (${rankedFrom('pool')}) ranked ORDER BY ${order} LIMIT ${top}) t),
            flags AS (${check ? flags : 'SELECT 1'})
       SELECT (SELECT list({'s': stratum, 'n': n} ORDER BY stratum)
                 FROM (SELECT stratum, count(*) AS n FROM pool GROUP BY stratum)) AS pool,
              (SELECT list({'s': stratum, 'n': n} ORDER BY stratum)
                 FROM (SELECT stratum, ${counts(sizes, 'count(*)')} AS n FROM top GROUP BY stratum)) AS strata,
              (SELECT ${counts(sizes, 'count(*)', 'first')} FROM (SELECT min(pos) AS first FROM top GROUP BY qkey)) AS questions,
              ${unfit} AS unfit`,
    );
    const r = rows[0] ?? {};
    const poolStrata = new Map(strata(r['pool']).map((x) => [x.s, Number(x.n)]));
    const available = refuseTooBig(spec, poolStrata);
    const u = r['unfit'];
    if (check && u && typeof u === 'object' && !Array.isArray(u)) {
      refuseUnfit(
        {
          rows: Number(u['n'] ?? 0),
          dash: Number(u['dash'] ?? 0),
          emptyPrompt: Number(u['ep'] ?? 0),
          emptyResponse: Number(u['er'] ?? 0),
          examples: numbers(u['ex']),
        },
        fitFor ?? '',
      );
    }
    const questions = numbers(r['questions']);
    const bySize = strata(r['strata']);
    return {
      available,
      sizes: sizes.map((size, i) => ({
        size,
        strata: spec.stratify
          ? Object.fromEntries(
              bySize
                .map((x) => [x.s, numbers(x.n)[i] ?? 0] as const)
                .filter(([, n]) => n > 0)
                .sort(([a], [b]) => a.localeCompare(b)),
            )
          : {},
        questions: questions[i] ?? 0,
      })),
      poolStrata: spec.stratify ? Object.fromEntries(poolStrata) : {},
    };
  });
