/**
 * MLflow's model registry endpoints (model_registry.proto), through the
 * workbench's registry so gates, approvals and the audit log apply.
 */
import type { Actor } from '../registry/actor';
import type { MlflowRoute } from './tracking-api';

/** The registry routes by path under /api/2.0/mlflow/; `actor` names who the audit log records. */
export function REGISTRY_ROUTES(actor: () => Actor): Record<string, MlflowRoute> {
  void actor;
  return {};
}
