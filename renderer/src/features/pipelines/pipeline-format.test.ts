import { describe, expect, it } from 'vitest';
import { pipelineDefinitionSchema } from '../../../../shared/pipelines';
import { translate } from '../../i18n';
import { definitionFromForm, emptyForm, fieldErrors, formFromDefinition, triggerTexts } from './pipeline-format';

const t = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('pipeline format', () => {
  it('says the triggers in words, the schedule with its time zone', () => {
    expect(triggerTexts(t, { triggers: { schedule: { kind: 'daily', at: '02:00' }, onNewData: true, onDrift: false }, timezone: 'Europe/Paris' })).toEqual([
      'daily at 02:00 (Europe/Paris)',
      'on new data',
    ]);
    expect(triggerTexts(t, { triggers: { schedule: { kind: 'weekly', day: 'tue', at: '06:30' }, onNewData: false, onDrift: true }, timezone: 'UTC' })).toEqual([
      'weekly on Tuesday at 06:30 (UTC)',
      'on drift',
    ]);
    expect(triggerTexts(t, { triggers: { schedule: { kind: 'hours', every: 6 }, onNewData: false, onDrift: false }, timezone: 'UTC' })).toEqual(['every 6 hours']);
    expect(triggerTexts(t, { triggers: { schedule: null, onNewData: false, onDrift: false }, timezone: 'UTC' })).toEqual(['manual only']);
  });

  it('builds a definition the schema accepts from the form, and reads it back', () => {
    const form = {
      ...emptyForm('Asia/Tokyo'),
      name: 'churn daily',
      dataset: 'churn',
      target: 'churned',
      cvFolds: '2',
      models: [{ key: 1, algorithm: 'rf' as const, params: { nEstimators: '10' } }],
      model: 'churn-model',
      threshold: '0.7',
      cvGapOn: true,
      scheduleKind: 'weekly' as const,
      day: 'fri' as const,
      at: '04:15',
    };
    const def = pipelineDefinitionSchema.parse(definitionFromForm(form, 'classification'));
    expect(def.models[0]).toEqual({ algorithm: 'rf', params: { nEstimators: 10 } });
    expect(def.gates).toEqual({ metric: { op: '>=', threshold: 0.7 }, maxCvGap: 0.1 });
    expect(def.triggers.schedule).toEqual({ kind: 'weekly', day: 'fri', at: '04:15' });
    expect(def.training).toMatchObject({ target: 'churned', testSize: 0.2, cvFolds: 2 });
    const back = formFromDefinition(def);
    expect(back).toMatchObject({ name: 'churn daily', dataset: 'churn', day: 'fri', at: '04:15', timezone: 'Asia/Tokyo', cvGapOn: true, threshold: '0.7' });
    expect(back.models[0].params.nEstimators).toBe('10');
  });

  it('puts each refusal on its field and step', () => {
    expect(
      fieldErrors({
        code: 'invalid_payload',
        message: 'Invalid request',
        details: [
          { path: 'definition.triggers.schedule.expression', message: 'Too small' },
          { path: 'definition.models.0.params.nEstimators', message: 'must be ≥ 1' },
        ],
      }),
    ).toEqual([
      { field: 'triggers.schedule.expression', step: 'triggers', message: 'Too small' },
      { field: 'models.0.params.nEstimators', step: 'models', message: 'must be ≥ 1' },
    ]);
    expect(fieldErrors({ code: 'bad_input', message: 'Schedule "x y z" in UTC: bad' })).toEqual([
      { field: 'triggers.schedule', step: 'triggers', message: 'Schedule "x y z" in UTC: bad' },
    ]);
    expect(fieldErrors({ code: 'conflict', message: 'Busy' })[0].step).toBe('review');
  });
});
