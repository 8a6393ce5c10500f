import { useState } from 'react';
import type { Facet } from '../../../shared/api';
import { useCurate } from './store';

const DIFFICULTIES = ['EASY', 'MEDIUM', 'MEDIUM_HARD', 'HARD', 'VERY_HARD', 'UNKNOWN_DIFFICULTY'];
type Place = 'easy' | 'hard' | 'none' | '';
/** Where each difficulty goes; MEDIUM_HARD starts unplaced, so the user decides (compared case-insensitively). */
const DEFAULT_PLACES: Record<string, Place> = {
  EASY: 'easy',
  MEDIUM: 'easy',
  MEDIUM_HARD: '',
  HARD: 'hard',
  VERY_HARD: 'hard',
  UNKNOWN_DIFFICULTY: 'none',
};

/** A one-line distribution: each bin's share as a segment of a bar. */
const MiniBar = ({ facet }: { facet: Facet | undefined }) => {
  if (!facet) return null;
  const total = facet.bins.reduce((a, b) => a + b.count, 0) || 1;
  return (
    <div className="minibar" title={facet.bins.map((b) => `${b.label}: ${b.count}`).join('\n')}>
      {facet.bins.map((b, i) => (
        <span
          key={b.label}
          style={{ width: `${(100 * b.count) / total}%`, background: `var(--series-${(i % 6) + 1})` }}
        />
      ))}
    </div>
  );
};

/** Partitions beside each other: size, difficulty and judgement mix; presets; marks go to the chosen one. */
export const PartitionsPanel = () => {
  const { dataset, partitions, filter, markPartition, stats } = useCurate();
  const [name, setName] = useState('');
  const [places, setPlaces] = useState<Record<string, Place>>(DEFAULT_PLACES);
  const { set, presetPartitions, deletePartition } = useCurate.getState();

  if (!dataset) return null;
  const saveFilter = async (matchAll: boolean) => {
    await useCurate.getState().savePartition(name.trim(), matchAll);
    setName('');
  };
  const inGroup = (g: Place) => DIFFICULTIES.filter((d) => places[d] === g);
  const groups = { easy: inGroup('easy'), hard: inGroup('hard'), none: inGroup('none') };
  const unplaced = inGroup('');

  return (
    <div className="panel" data-testid="partitions-panel">
      <div className="row">
        <input
          placeholder="partition name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="partition-name"
        />
        <button disabled={!name.trim()} onClick={() => void saveFilter(true)} data-testid="save-partition">
          Save current filter
        </button>
        <button
          disabled={!name.trim()}
          onClick={() => void saveFilter(false)}
          title="An empty partition you fill by marking rows include"
        >
          New hand-picked
        </button>
      </div>
      <div className="row">
        <button
          onClick={() => void presetPartitions({ preset: 'correctness', by: 'judgement' })}
          data-testid="preset-correctness"
        >
          correct vs incorrect (judgement)
        </button>
        <button onClick={() => void presetPartitions({ preset: 'correctness', by: 'pass_rate' })}>
          pass rate = 1 vs &lt; 1
        </button>
      </div>
      <div className="row groups">
        {DIFFICULTIES.map((d) => (
          <label key={d} className={places[d] ? '' : 'unplaced'}>
            {d.toLowerCase()}
            <select
              value={places[d] ?? ''}
              onChange={(e) => setPlaces((x) => ({ ...x, [d]: e.target.value as Place }))}
              data-testid={`place-${d}`}
            >
              <option value="">choose…</option>
              <option value="easy">easy</option>
              <option value="hard">hard</option>
              <option value="none">left out</option>
            </select>
          </label>
        ))}
        <button
          disabled={!groups.easy.length || !groups.hard.length || unplaced.length > 0}
          title={
            unplaced.length
              ? `Place ${unplaced.join(', ')} in easy, hard or left out first`
              : 'Difficulties compare case-insensitively'
          }
          onClick={() => void presetPartitions({ preset: 'difficulty', groups })}
          data-testid="preset-difficulty"
        >
          easy vs hard
        </button>
      </div>
      <div className="row">
        <button
          onClick={() => void presetPartitions({ preset: 'training' })}
          title="Leaves out rows whose prompt is '-' or empty, or whose response is empty: exports refuse them"
          data-testid="preset-training"
        >
          ready for training
        </button>
      </div>
      <table className="data compact">
        <thead>
          <tr>
            <th>partition</th>
            <th className="num">size</th>
            <th className="num">+/−</th>
            <th>difficulty</th>
            <th>judgement</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => (
            <tr key={p.name} data-testid="partition-row" className={markPartition === p.name ? 'active' : ''}>
              <td title={p.description}>{p.name}</td>
              <td className="num" data-testid="partition-size">
                {p.size.toLocaleString()}
              </td>
              <td className="num">
                {p.includes}/{p.excludes}
              </td>
              <td>
                <MiniBar facet={stats[p.name]?.find((f) => f.name === 'difficulty')} />
              </td>
              <td>
                <MiniBar facet={stats[p.name]?.find((f) => f.name === 'judgement')} />
              </td>
              <td className="actions">
                <button
                  className="link"
                  onClick={() =>
                    useCurate
                      .getState()
                      .setFilter({ ...filter, partition: filter.partition === p.name ? null : p.name })
                  }
                >
                  {filter.partition === p.name ? 'show all' : 'show'}
                </button>
                <button
                  className="link"
                  data-testid="mark-here"
                  onClick={() => set({ markPartition: markPartition === p.name ? null : p.name })}
                >
                  {markPartition === p.name ? 'marking here' : 'mark here'}
                </button>
                <button className="link danger" onClick={() => void deletePartition(p.name)}>
                  delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {partitions.length === 0 && (
        <p className="muted">No partitions yet: save the current filter, or start from a preset.</p>
      )}
    </div>
  );
};
