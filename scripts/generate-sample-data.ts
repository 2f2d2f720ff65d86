/**
 * Generates the bundled sample data set resources/sample/churn.csv: a
 * churn-like customer table (numbers, categories, booleans, a date, missing
 * values in several spellings, a quoted field with a comma, and a binary
 * target `churned`). Fixed seed, so the file is byte-identical on every run.
 *
 *   npx tsx scripts/generate-sample-data.ts [rows] [out]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../electron/core/datasets/column-stats';

const SEED = 20240601;

/** Builds the sample CSV text (exported for the test that checks it is reproducible). */
export function generateChurnCsv(rows = 5000, seed = SEED): string {
  const rnd = createRandom(seed);
  const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
    let u = rnd() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) {
      u -= weights[i];
      if (u <= 0) return items[i];
    }
    return items[items.length - 1];
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const header = [
    'customer_id', 'gender', 'senior_citizen', 'partner', 'tenure_months', 'contract', 'internet_service',
    'payment_method', 'paperless_billing', 'monthly_charges', 'total_charges', 'support_calls', 'satisfaction',
    'region', 'signup_date', 'churned',
  ];
  const lines = [header.join(',')];
  const start = Date.UTC(2019, 0, 1);
  for (let i = 0; i < rows; i++) {
    const contract = pick(['Month-to-month', 'One year', 'Two year'], [55, 24, 21]);
    const internet = pick(['DSL', 'Fiber optic', 'No'], [34, 44, 22]);
    const senior = rnd() < 0.16 ? 1 : 0;
    const partner = rnd() < 0.48;
    const tenure = Math.min(72, Math.max(0, Math.round(contract === 'Month-to-month' ? 18 * rnd() ** 1.3 * 2 : 20 + 52 * rnd())));
    const payment = pick(['Electronic check', 'Mailed check', 'Bank transfer (automatic)', 'Credit card, automatic'], [34, 23, 22, 21]);
    const paperless = rnd() < 0.59;
    const base = internet === 'Fiber optic' ? 85 : internet === 'DSL' ? 58 : 22;
    const monthly = Math.max(18, base + 12 * normal());
    const total = monthly * tenure * (0.95 + 0.1 * rnd());
    const calls = Math.max(0, Math.round(1.2 + (contract === 'Month-to-month' ? 1 : 0) + normal() * 1.3));
    const satisfaction = Math.min(5, Math.max(1, 3.6 - 0.35 * calls + 0.8 * normal()));
    const region = pick(['North', 'South', 'East', 'West'], [1, 1, 1, 1]);
    const signup = new Date(start + Math.floor(rnd() * 1800) * 86_400_000).toISOString().slice(0, 10);
    // A logistic model the training engine should be able to recover: short, monthly, fiber, many calls → churn.
    const z =
      -1.2 +
      (contract === 'Month-to-month' ? 1.5 : contract === 'One year' ? 0 : -1.4) +
      (internet === 'Fiber optic' ? 0.6 : 0) -
      0.035 * tenure +
      0.35 * calls +
      (payment === 'Electronic check' ? 0.4 : 0) +
      0.3 * senior -
      0.4 * (satisfaction - 3);
    const churned = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const cells = [
      `C${String(i + 1).padStart(5, '0')}`,
      rnd() < 0.5 ? 'Female' : 'Male',
      String(senior),
      partner ? 'yes' : 'no',
      String(tenure),
      contract,
      internet,
      payment.includes(',') ? `"${payment}"` : payment,
      paperless ? 'true' : 'false',
      monthly.toFixed(2),
      // Missing values in three spellings, as real exports mix them.
      tenure === 0 || rnd() < 0.02 ? (rnd() < 0.5 ? 'NA' : '') : total.toFixed(2),
      String(calls),
      rnd() < 0.08 ? '' : satisfaction.toFixed(1),
      rnd() < 0.03 ? '?' : region,
      signup,
      String(churned),
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const rows = Number(process.argv[2] ?? 5000);
  const out = resolve(process.argv[3] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../resources/sample/churn.csv'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, generateChurnCsv(rows));
  console.log(`wrote ${rows} rows to ${out}`);
}
