import { useState, type FormEvent } from 'react';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';

const today = () => new Date().toISOString().slice(0, 10);

/** "New assessment": who takes part, when, and the facilitator's scoring choice. */
export function AssessmentForm() {
  const t = useT();
  const { navigate } = useRouter();
  const [organisation, setOrganisation] = useState('');
  const [team, setTeam] = useState('');
  const [facilitator, setFacilitator] = useState('');
  const [participants, setParticipants] = useState('');
  const [date, setDate] = useState(today());
  const [partlyCountsHalf, setPartlyCountsHalf] = useState(false);
  const [problem, setProblem] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!organisation.trim()) {
      setProblem(t('maturity.form.required'));
      return;
    }
    try {
      const created = await api.call('maturity:create', {
        meta: {
          organisation,
          team,
          facilitator,
          participants: participants.split(/[,、]/).map((p) => p.trim()).filter(Boolean),
          date,
        },
        settings: { partlyCountsHalf },
      });
      navigate('maturity', 'a', created.id);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <div className="page">
      <h1>{t('maturity.form.title')}</h1>
      <form className="card" onSubmit={submit} noValidate>
        <div className="form-row">
          <label>
            {t('maturity.form.organisation')}
            <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} autoFocus aria-invalid={Boolean(problem)} />
          </label>
          <label>
            {t('maturity.form.team')}
            <input value={team} onChange={(e) => setTeam(e.target.value)} maxLength={200} />
          </label>
          <label>
            {t('maturity.form.date')}
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
        </div>
        <div className="form-row">
          <label>
            {t('maturity.form.facilitator')}
            <input value={facilitator} onChange={(e) => setFacilitator(e.target.value)} maxLength={200} />
          </label>
          <label style={{ flex: 1 }}>
            {t('maturity.form.participants')}
            <input value={participants} onChange={(e) => setParticipants(e.target.value)} />
          </label>
        </div>
        <div className="form-row">
          <label style={{ flexDirection: 'row', alignItems: 'center', color: 'inherit' }}>
            <input type="checkbox" checked={partlyCountsHalf} onChange={(e) => setPartlyCountsHalf(e.target.checked)} />
            {t('maturity.form.partlyHalf')}
          </label>
        </div>
        {problem && (
          <p className="answer--bad" role="alert">
            {problem}
          </p>
        )}
        <div className="form-row">
          <button type="submit" className="btn btn--primary">
            {t('maturity.form.start')}
          </button>
          <button type="button" className="btn" onClick={() => navigate('maturity')}>
            {t('maturity.form.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
