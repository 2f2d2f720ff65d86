import type { MessageCatalog } from '../../i18n';

export const mlflowPageMessages: MessageCatalog = {
  en: {
    'mlflow.title': 'MLflow',
    'mlflow.intro':
      'Bring runs and models in from MLflow, take them out to an mlruns folder, or share them with the MLflow server your team runs.',
    'mlflow.endpoint': 'MLflow endpoint',
    'mlflow.endpoint.running': 'MLflow clients log here through {url}.',
    'mlflow.endpoint.off': 'The MLflow endpoint is off.',
    'mlflow.endpoint.settings': 'Settings',
  },
  ja: {
    'mlflow.title': 'MLflow',
    'mlflow.intro': 'MLflow からランとモデルを取り込み、mlruns フォルダーへ書き出し、チームが運用する MLflow サーバーと共有します。',
    'mlflow.endpoint': 'MLflow エンドポイント',
    'mlflow.endpoint.running': 'MLflow クライアントは {url} からここに記録します。',
    'mlflow.endpoint.off': 'MLflow エンドポイントはオフです。',
    'mlflow.endpoint.settings': '設定',
  },
};
