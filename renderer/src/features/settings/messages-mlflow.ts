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
    'settings.mlflow.tokenSaved': 'saved — type to replace',
    'settings.mlflow.tokenRemove': 'Remove token',
    'settings.mlflow.tokenWhere.os-keychain': 'The token is kept encrypted by the OS keychain, not in the workspace.',
    'settings.mlflow.tokenWhere.weak':
      'No OS keychain was found: the token is kept outside the workspace but encrypted with a fixed key. Install a keyring (GNOME Keyring or KWallet) to protect it.',
    'settings.mlflow.tokenWhere.session': 'The token is kept for this session only (no OS keychain here); set it again after a restart.',
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
    'settings.mlflow.tokenSaved': '保存済み — 入力すると置き換えます',
    'settings.mlflow.tokenRemove': 'トークンを削除',
    'settings.mlflow.tokenWhere.os-keychain': 'トークンは OS のキーチェーンで暗号化して保存され、ワークスペースには保存されません。',
    'settings.mlflow.tokenWhere.weak':
      'OS のキーチェーンが見つかりません。トークンはワークスペースの外に保存されますが、固定の鍵で暗号化されています。保護するにはキーリング(GNOME Keyring や KWallet)を導入してください。',
    'settings.mlflow.tokenWhere.session':
      'OS のキーチェーンがないため、トークンはこのセッションの間だけ保持されます。再起動後にもう一度設定してください。',
  },
};
