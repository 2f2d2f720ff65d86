import type { MessageCatalog } from '../../i18n';

export const mlflowSettingsMessages: MessageCatalog = {
  en: {
    'settings.mlflow': 'MLflow endpoint',
    'settings.mlflow.help':
      "Serves MLflow's tracking REST API on this computer, so MLflow code logs its runs here: set MLFLOW_TRACKING_URI to the address below. Runs logged this way show on the Experiments page with the source “MLflow client”.",
    'settings.mlflow.enabled': 'Serve the MLflow API',
    'settings.mlflow.port': 'Port',
    'settings.mlflow.apply': 'Apply',
    'settings.mlflow.running': 'Running at {url}',
    'settings.mlflow.stopped': 'Off',
    'settings.mlflow.notRunning': 'Not running: {error}',
    'settings.mlflow.usage': 'In a terminal: export MLFLOW_TRACKING_URI={url}',
    'settings.mlflow.token': 'Clients must send the bearer token set for this endpoint (MLFLOW_TRACKING_TOKEN).',
    'settings.mlflow.tokenLabel': 'Bearer token (optional)',
    'settings.mlflow.tokenNone': 'none',
  },
  ja: {
    'settings.mlflow': 'MLflow エンドポイント',
    'settings.mlflow.help':
      'MLflow のトラッキング REST API をこのコンピューターで提供し、MLflow のコードが実行をここに記録できるようにします。MLFLOW_TRACKING_URI に下のアドレスを設定してください。この方法で記録した実行は、実験ページにソース「MLflow クライアント」として表示されます。',
    'settings.mlflow.enabled': 'MLflow API を提供する',
    'settings.mlflow.port': 'ポート',
    'settings.mlflow.apply': '適用',
    'settings.mlflow.running': '{url} で稼働中',
    'settings.mlflow.stopped': 'オフ',
    'settings.mlflow.notRunning': '稼働していません: {error}',
    'settings.mlflow.usage': 'ターミナルで: export MLFLOW_TRACKING_URI={url}',
    'settings.mlflow.token': 'クライアントは、このエンドポイントに設定したベアラートークン（MLFLOW_TRACKING_TOKEN）を送る必要があります。',
    'settings.mlflow.tokenLabel': 'ベアラートークン（任意）',
    'settings.mlflow.tokenNone': 'なし',
  },
};
