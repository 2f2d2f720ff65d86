import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AssessmentImportError, exportAssessmentJson, parseAssessmentJson } from './exchange-assessment';
import { buildAssessment } from './test-fixtures';

const sample = buildAssessment('a1', (i) => (i % 3 === 0 ? 'yes' : i % 3 === 1 ? 'no' : 'partly'));

function refusal(text: string): string {
  try {
    parseAssessmentJson(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AssessmentImportError);
    return (error as Error).message;
  }
  throw new Error('expected the import to be refused');
}

describe('exportAssessmentJson / parseAssessmentJson', () => {
  it('round-trips through a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-maturity-'));
    try {
      const file = path.join(dir, 'assessment.json');
      fs.writeFileSync(file, exportAssessmentJson(sample, { name: 'MLOps Workbench', version: '0.1.0' }));
      const back = parseAssessmentJson(fs.readFileSync(file, 'utf8'));
      expect(back).toEqual(sample);
      // A UTF-8 BOM (Windows editors) is accepted.
      expect(parseAssessmentJson('\uFEFF' + fs.readFileSync(file, 'utf8'))).toEqual(sample);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses malformed JSON with the parser reason', () => {
    expect(refusal('{"format": "mlops-workbench/maturity-assessment",')).toMatch(/^The file is not valid JSON/);
  });

  it('refuses foreign JSON (another tool, an array, a dataset file)', () => {
    expect(refusal('[1,2,3]')).toMatch(/expected a JSON object/);
    expect(refusal('{"name":"package","version":"1.0.0"}')).toMatch(/not a MLOps Workbench maturity assessment \(no "format" field/);
    expect(refusal('{"format":"great-expectations/suite"}')).toMatch(/format "great-expectations\/suite"/);
  });

  it('refuses a newer format version', () => {
    const envelope = JSON.parse(exportAssessmentJson(sample));
    envelope.formatVersion = 7;
    expect(refusal(JSON.stringify(envelope))).toMatch(/newer version .*format version 7/);
  });

  it('refuses damaged content with the field path', () => {
    const envelope = JSON.parse(exportAssessmentJson(sample));
    envelope.assessment.answers['l1-data-versioning'].value = 'maybe';
    delete envelope.assessment.meta.date;
    const message = refusal(JSON.stringify(envelope));
    expect(message).toMatch(/damaged or incomplete/);
    expect(message).toContain('assessment.answers.l1-data-versioning.value');
    expect(message).toContain('assessment.meta.date');
  });

  it('refuses unknown items and extra fields', () => {
    const envelope = JSON.parse(exportAssessmentJson(sample));
    envelope.assessment.answers['l3-quantum'] = { value: 'yes', note: '' };
    expect(refusal(JSON.stringify(envelope))).toMatch(/does not know: l3-quantum/);
    const extra = JSON.parse(exportAssessmentJson(sample));
    extra.assessment.sneaky = true;
    expect(refusal(JSON.stringify(extra))).toMatch(/damaged/);
  });
});
