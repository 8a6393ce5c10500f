import { useState } from 'react';
import { clusterKinds, type ClusterKind, type ClusterProfileInput } from '../../../shared/api/cluster';
import { useCluster } from './store';

const gb = (b: number | null) => (b === null ? '–' : `${(b / 1e9).toFixed(0)} GB`);

const TestResult = ({ name }: { name: string }) => {
  const report = useCluster((s) => s.reports[name]);
  const { accept, test } = useCluster();
  const [passphrase, setPassphrase] = useState('');
  if (!report) return null;
  if (report === 'testing') return <div className="muted">Connecting…</div>;
  return (
    <div className="cluster-report" data-testid={`cluster-report-${name}`}>
      <div className="muted">Connection test · {name}</div>
      <ul>
        {report.checks.map((c) => (
          <li key={c.name} className={c.ok ? 'ok' : 'fail'}>
            <strong>
              {c.ok ? '✓' : '✗'} {c.name}
            </strong>{' '}
            {c.detail}
          </li>
        ))}
      </ul>
      {report.unknownHostKey && (
        <div className="cluster-hostkey">
          Unknown host key for {report.unknownHostKey.host}:{report.unknownHostKey.port}:{' '}
          <code>
            {report.unknownHostKey.keyType} {report.unknownHostKey.fingerprint}
          </code>{' '}
          <button onClick={() => void accept(name, report.unknownHostKey?.fingerprint ?? '')}>Trust this key</button>
        </div>
      )}
      {report.needsPassphrase && (
        <form
          className="cluster-row"
          onSubmit={(e) => {
            e.preventDefault();
            void test(name, passphrase);
            setPassphrase('');
          }}
        >
          <input
            type="password"
            autoComplete="off"
            placeholder="Key passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <button type="submit">Unlock and test</button>
        </form>
      )}
      {report.ok && (
        <div className="muted">
          GPUs {report.gpus ?? '–'} · free {gb(report.freeBytes)} · scheduler {report.scheduler}
        </div>
      )}
    </div>
  );
};

const emptyProfile = (): ClusterProfileInput => ({
  name: '',
  kind: 'slurm',
  host: '',
  port: null,
  user: null,
  auth: 'agent',
  keyFile: null,
  jumpHost: null,
  remoteDir: 'valley',
  partition: null,
  account: null,
  qos: null,
  setup: '',
});

const ProfileForm = ({ onDone }: { onDone: () => void }) => {
  const { save, sshHosts } = useCluster();
  const [p, setP] = useState<ClusterProfileInput>(emptyProfile);
  const field = (key: keyof ClusterProfileInput, label: string, placeholder = '') => (
    <label>
      {label}
      <input
        value={String(p[key] ?? '')}
        placeholder={placeholder}
        onChange={(e) =>
          setP({
            ...p,
            [key]:
              key === 'port'
                ? e.target.value
                  ? Number(e.target.value)
                  : null
                : e.target.value || (key === 'setup' || key === 'host' ? '' : null),
          })
        }
      />
    </label>
  );
  return (
    <form
      className="cluster-form"
      data-testid="cluster-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save({ ...p, auth: p.keyFile ? 'key' : 'agent' }, false).then((ok) => ok && onDone());
      }}
    >
      {field('name', 'Name', 'my-cluster')}
      <label>
        Kind
        <select value={p.kind} onChange={(e) => setP({ ...p, kind: e.target.value as ClusterKind })}>
          {clusterKinds.map((k) => (
            <option key={k} value={k}>
              {k === 'ssh' ? 'plain SSH host' : k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Host or ~/.ssh/config alias
        <input list="cluster-ssh-hosts" value={p.host ?? ''} onChange={(e) => setP({ ...p, host: e.target.value })} />
        <datalist id="cluster-ssh-hosts">
          {sshHosts.map((h) => (
            <option key={h.alias} value={h.alias}>
              {h.hostName ?? ''}
            </option>
          ))}
        </datalist>
      </label>
      {field('port', 'Port', '22')}
      {field('user', 'User')}
      {field('keyFile', 'Key file (empty: ssh-agent)', '~/.ssh/id_ed25519')}
      {field('jumpHost', 'Jump host', 'user@bastion:22')}
      {field('remoteDir', 'Remote folder')}
      {p.kind === 'slurm' && (
        <>
          {field('partition', 'Partition')}
          {field('account', 'Account')}
          {field('qos', 'QoS')}
        </>
      )}
      {field('setup', 'Setup lines', 'module load cuda; source venv/bin/activate')}
      <div className="cluster-row">
        <button type="submit" className="primary">
          Save profile
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
};

export const ProfilesCard = () => {
  const { clusters, authSources, test, remove } = useCluster();
  const [adding, setAdding] = useState(false);
  return (
    <div className="card cluster-profiles" data-testid="cluster-profiles">
      <div className="cluster-card-head">
        <h2>Clusters</h2>
        <button onClick={() => setAdding(!adding)}>{adding ? 'Close' : 'Add cluster'}</button>
      </div>
      {adding && <ProfileForm onDone={() => setAdding(false)} />}
      <table className="data">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Host</th>
            <th>User</th>
            <th>Auth</th>
            <th>Folder</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.kind}</td>
              <td>
                {c.kind === 'local'
                  ? 'this machine'
                  : `${c.host}${c.port ? `:${c.port}` : ''}${c.jumpHost ? ` via ${c.jumpHost}` : ''}`}
              </td>
              <td>{c.user ?? ''}</td>
              <td>
                {c.kind === 'local' ? '' : (authSources[c.name] ?? (c.keyFile ? `key ${c.keyFile}` : 'ssh-agent'))}
              </td>
              <td>{c.remoteDir}</td>
              <td>
                <button onClick={() => void test(c.name)} data-testid={`cluster-test-${c.name}`}>
                  Test connection
                </button>
                {c.name !== 'local' && (
                  <button className="link" onClick={() => void remove(c.name)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {clusters.map((c) => (
        <TestResult key={c.name} name={c.name} />
      ))}
    </div>
  );
};
