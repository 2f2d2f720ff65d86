#!/usr/bin/python3
"""Reference figures for the training engine's tests (electron/core/training).

Writes, into tests/fixtures/sklearn/:
  iris.csv, breast_cancer.csv, wine.csv, diabetes.csv   the data sets (target column "target")
  cv-reference.json   fold assignments (5-fold x 3 repeats) and scikit-learn's CV
                      accuracy / R^2 per model on exactly those folds
  metrics-reference.json   scikit-learn metric values on fixed prediction vectors
  series-reference.json    HistGradientBoostingClassifier's train/validation loss per iteration
                           (alone: /usr/bin/python3 scripts/sklearn-reference.py series)

Run with Debian's scikit-learn:  /usr/bin/python3 scripts/sklearn-reference.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn import datasets, metrics
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, HistGradientBoostingClassifier,
                              HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "sklearn")
os.makedirs(OUT, exist_ok=True)
REPEATS = 3
FOLDS = 5


def write_csv(name, X, y, feature_names, target_labels=None):
    path = os.path.join(OUT, name + ".csv")
    with open(path, "w") as fh:
        fh.write(",".join(list(feature_names) + ["target"]) + "\n")
        for row, t in zip(X, y):
            label = target_labels[t] if target_labels is not None else repr(float(t)) if not float(t).is_integer() else str(int(t))
            fh.write(",".join(repr(float(v)) for v in row) + "," + label + "\n")


def models(task):
    if task == "classification":
        return {
            "rf": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
            "et": lambda: ExtraTreesClassifier(n_estimators=100, random_state=0),
            "gbm": lambda: HistGradientBoostingClassifier(max_iter=100, random_state=0),
            "logreg": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
        }
    return {
        "rf": lambda: RandomForestRegressor(n_estimators=100, random_state=0),
        "et": lambda: ExtraTreesRegressor(n_estimators=100, random_state=0),
        "gbm": lambda: HistGradientBoostingRegressor(max_iter=100, random_state=0),
        "linear": lambda: LinearRegression(),
        "ridge": lambda: Ridge(alpha=1.0),
    }


def cv_reference():
    sets = {
        "iris": (datasets.load_iris(), "classification"),
        "breast_cancer": (datasets.load_breast_cancer(), "classification"),
        "wine": (datasets.load_wine(), "classification"),
        "diabetes": (datasets.load_diabetes(), "regression"),
    }
    ref = {"sklearn_version": sklearn.__version__, "folds": FOLDS, "repeats": REPEATS, "datasets": {}}
    for name, (bunch, task) in sets.items():
        X, y = bunch.data, bunch.target
        labels = list(bunch.target_names) if task == "classification" else None
        write_csv(name, X, y, bunch.feature_names, labels)
        fold_ids = []
        for r in range(REPEATS):
            splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=r) if task == "classification" else KFold(FOLDS, shuffle=True, random_state=r)
            ids = np.zeros(len(y), dtype=int)
            for f, (_, te) in enumerate(splitter.split(X, y)):
                ids[te] = f
            fold_ids.append(ids.tolist())
        scores = {}
        for mname, make in models(task).items():
            vals = []
            for ids in fold_ids:
                ids = np.array(ids)
                for f in range(FOLDS):
                    tr, te = ids != f, ids == f
                    m = make().fit(X[tr], y[tr])
                    pred = m.predict(X[te])
                    vals.append(metrics.accuracy_score(y[te], pred) if task == "classification" else metrics.r2_score(y[te], pred))
            scores[mname] = {"mean": float(np.mean(vals)), "std": float(np.std(vals))}
            print(name, mname, round(float(np.mean(vals)), 4))
        ref["datasets"][name] = {"task": task, "file": name + ".csv", "class_labels": labels, "fold_ids": fold_ids, "scores": scores}
    with open(os.path.join(OUT, "cv-reference.json"), "w") as fh:
        json.dump(ref, fh)


def metrics_reference():
    rng = np.random.RandomState(7)
    out = {"sklearn_version": sklearn.__version__, "cases": []}
    # Binary, with tied scores.
    n = 60
    y = rng.randint(0, 2, n)
    s = np.round(np.clip(y * 0.3 + rng.rand(n) * 0.7, 0, 1), 2)
    pred = (s > 0.5).astype(int)
    fpr, tpr, thr = metrics.roc_curve(y, s)
    pr, rc, pthr = metrics.precision_recall_curve(y, s)
    proba = np.stack([1 - s, s], axis=1)
    out["cases"].append({
        "name": "binary", "n_classes": 2, "y_true": y.tolist(), "y_pred": pred.tolist(), "proba": proba.ravel().tolist(),
        "accuracy": metrics.accuracy_score(y, pred),
        "precision_binary": metrics.precision_score(y, pred), "recall_binary": metrics.recall_score(y, pred), "f1_binary": metrics.f1_score(y, pred),
        "precision_macro": metrics.precision_score(y, pred, average="macro"), "recall_macro": metrics.recall_score(y, pred, average="macro"), "f1_macro": metrics.f1_score(y, pred, average="macro"),
        "precision_weighted": metrics.precision_score(y, pred, average="weighted"), "recall_weighted": metrics.recall_score(y, pred, average="weighted"), "f1_weighted": metrics.f1_score(y, pred, average="weighted"),
        "roc_auc": metrics.roc_auc_score(y, s), "log_loss": metrics.log_loss(y, proba),
        "confusion_matrix": metrics.confusion_matrix(y, pred).tolist(),
        "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds": thr.tolist(),
        "pr_precision": pr.tolist(), "pr_recall": rc.tolist(), "pr_thresholds": pthr.tolist(),
    })
    # Multiclass (4 classes), one class never predicted, extreme probabilities for log-loss clipping.
    n = 80
    y = rng.randint(0, 4, n)
    logits = rng.randn(n, 4) + np.eye(4)[y] * 1.5
    logits[:, 3] -= 3
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    proba[0] = [1.0, 0.0, 0.0, 0.0]
    pred = proba.argmax(axis=1)
    pred[pred == 3] = 2
    out["cases"].append({
        "name": "multiclass", "n_classes": 4, "y_true": y.tolist(), "y_pred": pred.tolist(), "proba": proba.ravel().tolist(),
        "accuracy": metrics.accuracy_score(y, pred),
        "precision_macro": metrics.precision_score(y, pred, average="macro", zero_division=0), "recall_macro": metrics.recall_score(y, pred, average="macro", zero_division=0), "f1_macro": metrics.f1_score(y, pred, average="macro", zero_division=0),
        "precision_weighted": metrics.precision_score(y, pred, average="weighted", zero_division=0), "recall_weighted": metrics.recall_score(y, pred, average="weighted", zero_division=0), "f1_weighted": metrics.f1_score(y, pred, average="weighted", zero_division=0),
        "roc_auc_ovr_macro": metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro"),
        "roc_auc_ovr_weighted": metrics.roc_auc_score(y, proba, multi_class="ovr", average="weighted"),
        "log_loss": metrics.log_loss(y, proba),
        "confusion_matrix": metrics.confusion_matrix(y, pred, labels=[0, 1, 2, 3]).tolist(),
    })
    yt = rng.randn(50) * 10 + 3
    yp = yt + rng.randn(50) * 4
    out["cases"].append({
        "name": "regression", "y_true": yt.tolist(), "y_pred": yp.tolist(),
        "r2": metrics.r2_score(yt, yp), "rmse": float(np.sqrt(metrics.mean_squared_error(yt, yp))), "mae": metrics.mean_absolute_error(yt, yp),
    })
    with open(os.path.join(OUT, "metrics-reference.json"), "w") as fh:
        json.dump(out, fh)


def series_reference():
    """Boosting loss curves (train_score_ / validation_score_, stored as positive losses) for the series tests."""
    out = {"sklearn_version": sklearn.__version__, "datasets": {}}
    sets = {"breast_cancer": datasets.load_breast_cancer(), "wine": datasets.load_wine()}
    for name, bunch in sets.items():
        m = HistGradientBoostingClassifier(max_iter=100, early_stopping=True, scoring="loss", validation_fraction=0.1,
                                           n_iter_no_change=10, random_state=0).fit(bunch.data, bunch.target)
        # scikit-learn gives scores as negative losses; entry 0 is the baseline, before the first iteration.
        out["datasets"][name] = {"file": name + ".csv", "n_iter": int(m.n_iter_),
                                 "train_loss": (-m.train_score_).tolist(), "validation_loss": (-m.validation_score_).tolist()}
        print(name, "n_iter", m.n_iter_, "train", round(-m.train_score_[-1], 4), "validation", round(-m.validation_score_[-1], 4))
    with open(os.path.join(OUT, "series-reference.json"), "w") as fh:
        json.dump(out, fh)


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["series"]:
        series_reference()  # only the loss curves (the other files stay as they are)
    else:
        metrics_reference()
        cv_reference()
        series_reference()
